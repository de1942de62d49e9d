/**
 * why401's own options. In the direct form (`why401 <url> -H …`) these win over curl's flags
 * of the same name (curl's own --json needs the `why401 curl …` form); in the curl form
 * everything after `curl` is curl's.
 */
export interface OwnFlag {
  name: string;
  takesValue: boolean;
  /** Placeholder for the value in help, e.g. `<url>`. */
  value?: string;
  help: string;
  repeatable?: boolean;
  /** Its value is a credential: hidden in every output, warnings and errors included (core/argument-secrets.ts). */
  secret?: boolean;
}

export const OWN_FLAGS: OwnFlag[] = [
  { name: 'json', takesValue: false, help: 'print the report as JSON (the contract in schema/report.json)' },
  { name: 'markdown', takesValue: false, help: 'print a support-ticket block in Markdown' },
  {
    name: 'html',
    takesValue: true,
    value: '<file>',
    help: 'also write a self-contained HTML report to <file> (no scripts, nothing loaded from the network)',
  },
  {
    name: 'show-secrets',
    takesValue: false,
    help: 'do not redact tokens, passwords, cookies and keys in the output',
  },
  { name: 'no-probes', takesValue: false, help: "send only the user's own request (no anonymous probe)" },
  {
    name: 'no-repairs',
    takesValue: false,
    help: 'send no repaired requests (the fix, tried: at most 4, safe methods, same origin)',
  },
  { name: 'offline', takesValue: false, help: 'send nothing; analyse the request as given' },
  {
    name: 'no-cache',
    takesValue: false,
    help: 'fetch discovery, JWKS and RFC 9728 metadata again instead of using the cached copies',
  },
  {
    name: 'allow-replay',
    takesValue: false,
    help: 'let probes send an unsafe method (POST, PUT, PATCH, DELETE) again',
  },
  {
    name: 'allow-private-fetch',
    takesValue: false,
    help: 'fetch private and loopback addresses a token or a challenge names (a local identity provider) even when the target is public',
  },
  { name: 'expect-issuer', takesValue: true, value: '<url>', help: 'the issuer the API expects (iss)' },
  { name: 'expect-audience', takesValue: true, value: '<aud>', help: 'the audience the API expects (aud)' },
  {
    name: 'expect-scope',
    takesValue: true,
    value: '<scope>',
    help: 'a scope the API requires (repeatable)',
    repeatable: true,
  },
  {
    name: 'openapi',
    takesValue: true,
    value: '<file|url>',
    help: "the API's OpenAPI document: the method and path, where the key goes and the operation's scopes are checked against it",
  },
  {
    name: 'origin',
    takesValue: true,
    value: '<url>',
    help: 'the page origin a browser sends this request from: its CORS preflight is checked too',
  },
  {
    name: 'issuer',
    takesValue: true,
    value: '<url>',
    help: 'OIDC issuer: discovery, JWKS, and its token endpoint for a fresh token',
  },
  {
    name: 'token-url',
    takesValue: true,
    value: '<url>',
    help: 'token endpoint for a fresh token (instead of discovery)',
  },
  {
    name: 'client-id',
    takesValue: true,
    value: '<id>',
    help: 'client for the fresh-token grant and introspection',
  },
  {
    name: 'client-secret',
    takesValue: true,
    value: '<secret>',
    help: 'its secret (or set WHY401_CLIENT_SECRET, which stays out of the process list)',
    secret: true,
  },
  { name: 'scope', takesValue: true, value: '<scopes>', help: 'scopes to ask for in the fresh-token grant' },
  {
    name: 'refresh-token',
    takesValue: true,
    value: '<token>',
    help: 'use the refresh grant instead of client credentials',
    secret: true,
  },
  {
    name: 'introspect-url',
    takesValue: true,
    value: '<url>',
    help: 'RFC 7662 introspection endpoint: is the token active?',
  },
  {
    name: 'from',
    takesValue: true,
    value: '<file>',
    help: 'analyse saved evidence (written by --save-evidence) instead of sending',
  },
  {
    name: 'save-evidence',
    takesValue: true,
    value: '<file>',
    help: 'also write the evidence, secrets replaced (JWT claims kept), for --from later or a bug report',
  },
  { name: 'no-color', takesValue: false, help: 'no colours (NO_COLOR is honoured too)' },
  { name: 'quiet', takesValue: false, help: 'no progress on stderr' },
];
