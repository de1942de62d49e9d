import type { Dispatcher } from 'undici';
import type { Exchange, RequestSpec } from '../model/evidence.js';
import { headerValue, type HeaderList } from '../model/http.js';
import { VERSION } from '../core/version.js';
import { preflightHeaders } from '../spec/cors.js';
import { send } from './transport.js';
import { withoutUrlCredentials } from '../knowledge/credential-rule.js';

/**
 * The CORS preflight a browser sends before a cross-origin request (Fetch §4.8). The header
 * computation is platform-neutral and lives in src/spec/cors.ts, shared with the checks;
 * this module only puts the preflight on the wire.
 */
export {
  browserRequestExtras,
  credentialsMode,
  needsPreflight,
  preflightHeaders,
  type CredentialsMode,
} from '../spec/cors.js';

export interface PreflightContext {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** The proxy the request goes through, recorded on the exchange. */
  via?: string;
}

/**
 * The preflight's URL: the request's, without userinfo (fetch() refuses it), without the fragment,
 * and without credential query parameters: a preflight carries no credentials (Fetch §4.8), and a
 * probe why401 invents carries none by the one credential rule. The rest of the query stays.
 */
function preflightUrl(url: string): string {
  try {
    const u = new URL(withoutUrlCredentials(url));
    u.hash = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Sends the `OPTIONS` preflight for `spec` as a browser at `origin` would: Origin and the
 * Access-Control-Request-* headers, no credentials at all (no Authorization, no Cookie, no
 * proxy or API-key headers), no body. A redirect is recorded, not followed: browsers fail a
 * redirected preflight (it goes through HTTP-network-or-cache fetch, which has no redirect step),
 * and cors.preflight-rejected says so.
 */
export async function sendPreflight(
  spec: RequestSpec,
  origin: string,
  ctx: PreflightContext,
): Promise<Exchange> {
  const headers: HeaderList = preflightHeaders(spec, origin);
  // A browser sends its own User-Agent: the user's when they gave one (a copied browser request), else the tool's.
  headers.push(['User-Agent', headerValue(spec.headers, 'user-agent') ?? `why401/${VERSION}`]);
  const request = { method: 'OPTIONS', url: preflightUrl(spec.url), headers };
  const r = await send(request, ctx.dispatcher, ctx.signal);
  const x: Exchange = { probe: 'preflight', hop: 0, request, startedAt: r.startedAt, ms: r.ms };
  if (r.response) x.response = r.response;
  if (r.error) x.error = r.error;
  if (ctx.via) x.via = ctx.via;
  return x;
}
