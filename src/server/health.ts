/**
 * `authHealth()`: "provide a health check page that reports auth service status". A web handler
 * that asks the issuer, as the API's verifier would, for its discovery document and its JWKS, and
 * reports whether each answered, the key ids (never key material), whether the discovery document
 * names the configured issuer, and this server's clock offset against the issuer's `Date` header.
 *
 * Every fetch has a timeout and a size cap; concurrent calls share one check, so a health page
 * polled hard does not become load on the identity provider.
 */
import { renderHealthHtml } from './health-html.js';

export interface AuthHealthOptions {
  /** The issuer identifier the API trusts (`iss`), e.g. `https://tenant.example.com/`. */
  issuer: string;
  /** Where discovery is read; default `${issuer}/.well-known/openid-configuration` (OpenID Connect Discovery §4). */
  discoveryUrl?: string;
  /** Default the global `fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Per fetch; default 5000 ms. */
  timeoutMs?: number;
  /** Clock offsets beyond this many seconds make the status `degraded`; default 60 (Spring's default leeway). */
  maxClockSkewSeconds?: number;
}

export interface KeyInfo {
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
}

export interface FetchCheck {
  url?: string;
  ok: boolean;
  /** The HTTP status, when there was an answer. */
  status?: number;
  ms?: number;
  /** One line: why it is not ok. */
  error?: string;
}

export interface AuthHealthReport {
  /** `ok`; `degraded` (keys reachable, clock off); `down` (discovery or keys unusable). */
  status: 'ok' | 'degraded' | 'down';
  issuer: string;
  checkedAt: string;
  discovery: FetchCheck & { issuerMatches?: boolean };
  jwks: FetchCheck & { keys: KeyInfo[] };
  clock: {
    /** The issuer's `Date` header, as sent. */
    issuerDate?: string;
    /** Issuer minus this server, in whole seconds (the `Date` header has one-second resolution). */
    offsetSeconds?: number;
    ok?: boolean;
  };
}

const MAX_BODY = 512 * 1024;

class CheckError extends Error {}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new CheckError(`the answer is larger than ${MAX_BODY / 1024} KiB`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

function describeFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof CheckError) return e.message;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const why = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
  return `unreachable: ${why}`.replace(/[\r\n]+/g, ' ');
}

interface Fetched {
  check: FetchCheck;
  json?: Record<string, unknown>;
  date?: string;
  at?: number;
}

async function getJson(
  opts: Required<Pick<AuthHealthOptions, 'fetch' | 'now' | 'timeoutMs'>>,
  url: string,
): Promise<Fetched> {
  const started = opts.now();
  try {
    const res = await opts.fetch(url, {
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const at = opts.now();
    const date = res.headers.get('date') ?? undefined;
    const ms = at - started;
    const body = await readCapped(res);
    if (!res.ok)
      return { check: { url, ok: false, status: res.status, ms, error: `HTTP ${res.status}` }, date, at };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { check: { url, ok: false, status: res.status, ms, error: 'the answer is not JSON' }, date, at };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      return {
        check: { url, ok: false, status: res.status, ms, error: 'the answer is not a JSON object' },
        date,
        at,
      };
    return {
      check: { url, ok: true, status: res.status, ms },
      json: json as Record<string, unknown>,
      date,
      at,
    };
  } catch (e) {
    return { check: { url, ok: false, ms: opts.now() - started, error: describeFailure(e, opts.timeoutMs) } };
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One check of the issuer, as data. */
export async function checkAuthHealth(options: AuthHealthOptions): Promise<AuthHealthReport> {
  const opts = {
    fetch: options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init)),
    now: options.now ?? Date.now,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  const maxSkew = options.maxClockSkewSeconds ?? 60;
  const discoveryUrl =
    options.discoveryUrl ?? `${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const checkedAt = new Date(opts.now()).toISOString();

  const d = await getJson(opts, discoveryUrl);
  const report: AuthHealthReport = {
    status: 'down',
    issuer: options.issuer,
    checkedAt,
    discovery: d.check,
    jwks: { ok: false, keys: [] },
    clock: {},
  };
  let dated: Fetched = d;
  if (d.json) {
    // OpenID Connect Discovery §4.3: the document's issuer MUST be identical to the one asked about.
    report.discovery.issuerMatches = d.json['issuer'] === options.issuer;
    const jwksUri = str(d.json['jwks_uri']);
    if (!jwksUri) report.jwks.error = 'the discovery document has no jwks_uri';
    else {
      const j = await getJson(opts, jwksUri);
      const keys = Array.isArray(j.json?.['keys']) ? (j.json['keys'] as unknown[]) : undefined;
      report.jwks = { ...j.check, keys: [] };
      if (j.json && !keys) Object.assign(report.jwks, { ok: false, error: 'the JWKS has no keys array' });
      for (const k of keys ?? []) {
        if (!k || typeof k !== 'object') continue;
        const key = k as Record<string, unknown>;
        const info: KeyInfo = {};
        for (const name of ['kid', 'kty', 'alg', 'use'] as const)
          if (str(key[name])) info[name] = str(key[name]);
        report.jwks.keys.push(info);
      }
      if (report.jwks.ok && report.jwks.keys.length === 0)
        Object.assign(report.jwks, { ok: false, error: 'the JWKS holds no key' });
      if (!dated.date && j.date) dated = j;
    }
  }
  if (dated.date !== undefined && dated.at !== undefined) {
    const issuerMs = Date.parse(dated.date);
    report.clock.issuerDate = dated.date;
    if (Number.isFinite(issuerMs)) {
      // Date is truncated to the second: compare against this server's time truncated the same way.
      report.clock.offsetSeconds = Math.round(issuerMs / 1000) - Math.floor(dated.at / 1000);
      report.clock.ok = Math.abs(report.clock.offsetSeconds) <= maxSkew;
    }
  }
  const keysUsable = report.discovery.ok && report.discovery.issuerMatches !== false && report.jwks.ok;
  report.status = !keysUsable ? 'down' : report.clock.ok === false ? 'degraded' : 'ok';
  return report;
}

function wantsHtml(request: Request): boolean {
  const format = new URL(request.url).searchParams.get('format');
  if (format) return format === 'html';
  const accept = request.headers.get('accept') ?? '';
  return /\btext\/html\b/.test(accept) && !/^\s*application\/json\b/.test(accept);
}

/**
 * A handler for `GET /health/auth` (any framework: `(request: Request) => Promise<Response>`; the
 * adapters `toExpress`, `toFastify`, `toHono` serve it). JSON by default; the HTML page for a
 * browser (`Accept: text/html`) or `?format=html`. 200 when `ok` or `degraded`, 503 when `down`.
 */
export function authHealth(options: AuthHealthOptions): (request: Request) => Promise<Response> {
  let running: Promise<AuthHealthReport> | undefined;
  return async (request) => {
    running ??= checkAuthHealth(options).finally(() => {
      running = undefined;
    });
    const report = await running;
    const status = report.status === 'down' ? 503 : 200;
    const common = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (wantsHtml(request))
      return new Response(renderHealthHtml(report), {
        status,
        headers: {
          ...common,
          'Content-Type': 'text/html; charset=utf-8',
          // No script at all, inline or not; the one stylesheet is inline.
          'Content-Security-Policy':
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        },
      });
    return new Response(JSON.stringify(report), {
      status,
      headers: { ...common, 'Content-Type': 'application/json' },
    });
  };
}
