import type { Exchange } from '../model/evidence.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { redirectTarget } from './response-util.js';
import { probeName, requestUrl, responseStatus } from './cite.js';

/** The error code the transport gives a status line HTTP cannot carry (src/probe/errors.ts). */
export const INVALID_STATUS = 'INVALID_STATUS';

const STATUS_FIX =
  'Find what produces this status (the server, or a WAF, bot blocker or proxy in front of it: its logs, the Server header) and make it answer with a real one: 401 or 403 to refuse, 5xx to fail.';

/** RFC 9110 §15: "Values outside the range 100..599 are invalid." */
function statusFinding(x: Exchange, status: number): Draft {
  return {
    confidence: 'confirmed',
    title: `The server answered with status ${status}, which HTTP does not define`,
    detail: `HTTP status codes are three digits from 100 to 599 (RFC 9110 §15); a client that gets another treats it as a server error. Such codes come from bot blockers, WAFs and frameworks that use private codes, not from a server refusing credentials, so nothing here says whether the credentials are right.`,
    fix: STATUS_FIX,
    evidence: [requestUrl(x), responseStatus(x)],
  };
}

/** The scheme a redirect points to when it is not http(s), with the Location as sent. */
function otherScheme(x: Exchange): { scheme: string; location: string } | undefined {
  const to = redirectTarget(x);
  if (!to) return undefined;
  const scheme = to.target.protocol;
  return scheme === 'http:' || scheme === 'https:' ? undefined : { scheme, location: to.location };
}

/**
 * What no HTTP client can act on: a status outside 100–599 (undici passes 600–999 through, and
 * refuses a status line below 100 or of more than three digits: the transport records that as
 * INVALID_STATUS), or a redirect to a scheme that is not http(s), which browsers (Fetch §4.4,
 * HTTP-redirect fetch: "a network error") and curl (--proto-redir: http, https, ftp and ftps only
 * since 7.65.2, never file:) refuse to follow. Until now these ended in "no auth problem".
 */
export default defineCheck(
  {
    id: 'server.status-invalid',
    plain:
      'The site answered in a way no browser or program can use, so it never got to judging your sign-in',
    directness: 1,
    // The unparsable status line is also a transport failure; this says what it was.
    absorbs: ['network.unreachable'],
    step: 4,
    kind: 'cause',
    title: 'The server answered with something HTTP clients cannot act on',
    fix: 'Find what produces this answer (the server, or a WAF, bot blocker or proxy in front of it: its logs, the Server header) and make it send a real status (401 or 403 to refuse, 5xx to fail) and redirect only to http(s) URLs.',
    ref: 'RFC 9110 §15 (status codes 100–599), §10.2.2 (Location); Fetch Standard §4.4 HTTP-redirect fetch',
  },
  (f) => {
    const out: Draft[] = [];
    for (const x of f.main) {
      const status = x.response?.status;
      if (status !== undefined && (status < 100 || status > 599)) out.push(statusFinding(x, status));
      if (x.error?.code === INVALID_STATUS) {
        out.push({
          confidence: 'confirmed',
          title: 'The server answered with a status line HTTP does not allow',
          detail: `${x.error.message.charAt(0).toUpperCase()}${x.error.message.slice(1)}. HTTP status codes are three digits from 100 to 599 (RFC 9110 §15), so no client can read this answer, and no server judged the credentials.`,
          fix: STATUS_FIX,
          evidence: [
            requestUrl(x),
            { probe: probeName(x), where: `error.${x.error.phase}`, value: x.error.code },
          ],
        });
      }
      const other = otherScheme(x);
      if (other) {
        out.push({
          confidence: 'confirmed',
          title: `The server redirects to a ${other.scheme} URL, which no HTTP client follows`,
          detail: `The ${x.response!.status} answer points to ${other.scheme} instead of http(s). Browsers treat such a redirect as a network error and curl refuses it (file: always), so it was not followed. If the server builds Location from a request value (a next= or redirect_uri parameter), that is also an open-redirect bug.`,
          fix: 'The server must redirect to an http(s) URL; if Location comes from a request parameter, validate it against the server’s own URLs.',
          evidence: [
            requestUrl(x),
            { probe: probeName(x), where: 'response.header.location', value: other.location },
          ],
        });
      }
    }
    return out;
  },
);
