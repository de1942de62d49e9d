import { isCredentialHeader, withoutUrlCredentials } from '../knowledge/credential-rule.js';
import { withoutHeaders } from '../model/http.js';
import type { WireRequest } from './transport.js';

/**
 * The anonymous probe of a request as it goes on the wire: the same method, URL and headers
 * without a single credential, by the one credential rule (every credential header, and the
 * URL's userinfo and credential query and fragment parameters: `api_key`, `sig`,
 * `X-Amz-Signature` …), nor the headers in `alsoDrop` (a SigV4 signature's own). Undefined when
 * the request carries none: it is the anonymous request. No body. One definition for the run
 * (gatherers/wire.ts) and for the CLI's boot-time request (cli/early.ts), which must agree.
 */
export function anonymousTwin(w: WireRequest, alsoDrop: readonly string[] = []): WireRequest | undefined {
  const drop = new Set(alsoDrop.map((n) => n.toLowerCase()));
  for (const [n] of w.headers) if (isCredentialHeader(n)) drop.add(n.toLowerCase());
  const url = withoutUrlCredentials(w.url);
  const headers = withoutHeaders(w.headers, [...drop]);
  if (headers.length === w.headers.length && url === w.url) return undefined;
  return { method: w.method, url, headers };
}
