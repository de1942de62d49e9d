/**
 * A real OpenID Provider for end-to-end tests: `oidc-provider` 9 (panva), configured as deps.md §4
 * measured it: one confidential client for the client_credentials grant (client_secret_basic),
 * JWT access tokens (`typ: at+jwt`, RS256) through resource indicators, devInteractions off.
 * It records every request it receives (headers and raw body), so a test can prove that no user
 * access token ever reached the identity provider.
 *
 * oidc-provider 9 prefers Node 22 and says so on Node 20 ("Unsupported runtime"), and it announces
 * its in-memory adapter; those two notices, and only those, are kept out of the test output.
 * Server errors inside the provider (its `server_error` event) are printed with console.error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as jose from 'jose';

export interface OidcProviderOptions {
  /** `aud` of the access tokens (the default resource). Default `https://api.why401.test`. */
  audience?: string;
  /** Scopes the resource server grants (space-separated). Default `read write`. */
  scope?: string;
  /** Access-token lifetime in seconds (`ttl.ClientCredentials` and the resource's TTL). Default 300. */
  ttl?: number;
}

export interface OidcReceived {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string | string[]>;
  /** The raw request body as sent (empty for GET). Complete once the provider has answered. */
  body: string;
}

export interface OidcProvider {
  /** The issuer identifier: origin, no trailing slash. */
  issuer: string;
  /** The `aud` the access tokens carry. */
  audience: string;
  tokenEndpoint: string;
  jwksUri: string;
  clientId: string;
  clientSecret: string;
  /** Every request the provider received, in order. */
  received: OidcReceived[];
  close(): Promise<void>;
}

/** The few parts of oidc-provider's (untyped) API used here. */
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: 'server_error', listener: (ctx: unknown, err: unknown) => void): unknown;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

const NOISE = [
  /^oidc-provider WARNING: Unsupported runtime\./,
  /^oidc-provider WARNING: a quick start development-only in-memory adapter is used/,
];
// oidc-provider colours its notices when stderr is a terminal.
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * Makes console.warn drop the two known notices until the returned function is called. Used only
 * around the module's import (once per process) and the synchronous constructor.
 */
function muteNoise(): () => void {
  const warn = console.warn;
  const filtered = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && NOISE.some((re) => re.test(stripAnsi(args[0] as string)))) return;
    warn.apply(console, args);
  };
  console.warn = filtered;
  return () => {
    if (console.warn === filtered) console.warn = warn;
  };
}

let providerModule: Promise<ProviderConstructor> | undefined;

/** oidc-provider ships no type declarations; a specifier held in a variable keeps TypeScript from looking. */
function loadProvider(): Promise<ProviderConstructor> {
  const specifier: string = 'oidc-provider';
  providerModule ??= (async () => {
    const unmute = muteNoise();
    try {
      return ((await import(specifier)) as { default: ProviderConstructor }).default;
    } finally {
      unmute();
    }
  })();
  return providerModule;
}

export async function startOidcProvider(opts: OidcProviderOptions = {}): Promise<OidcProvider> {
  const Provider = await loadProvider();
  const audience = opts.audience ?? 'https://api.why401.test';
  const scope = opts.scope ?? 'read write';
  const ttl = opts.ttl ?? 300;
  const clientId = 'why401-cli';
  const clientSecret = 'test-secret';
  const received: OidcReceived[] = [];

  // The issuer identifier must be known before the provider is built: listen first.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const issuer = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'op-key-1', alg: 'RS256', use: 'sig' };

  const unmute = muteNoise();
  let provider: ProviderInstance;
  try {
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [signingJwk] },
      ttl: { ClientCredentials: ttl },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        // Without resource indicators the access token is opaque; with them it is an RFC 9068 JWT.
        resourceIndicators: {
          enabled: true,
          defaultResource: () => audience,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => ({
            scope,
            audience: resource,
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
    });
  } finally {
    unmute();
  }
  provider.on('server_error', (_ctx, err) => {
    console.error('oidc-provider server_error:', err);
  });

  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
    const entry: OidcReceived = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: '' };
    received.push(entry);
    // Watch the body go by without consuming it: paused, the stream only moves when the provider
    // reads it, and every chunk it reads is also emitted as 'data'.
    const chunks: Buffer[] = [];
    req.pause();
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      entry.body = Buffer.concat(chunks).toString('utf8');
    });
    handle(req, res);
  });

  return {
    issuer,
    audience,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    clientId,
    clientSecret,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
