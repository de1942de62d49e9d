import { defineCheck, type Draft } from './check.js';
import { requestHeader } from './cite.js';
import { citeCredential, credentialLabel, requestQuery, schemeWord } from './credential-util.js';

// API-key headers that stand in for the bearer token. Others legitimately travel beside a Bearer
// token with a different value: Supabase's `apikey`, Azure APIM's `Ocp-Apim-Subscription-Key`,
// Google's `x-goog-api-key` (the project), AWS's `x-amz-security-token` (with SigV4).
const RIVALS = ['x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'x-token', 'private-token'];

function bearerPart(value: string): string {
  return value.trim().replace(/^\S+\s+/, '');
}

/**
 * RFC 9110 §5.3: a sender MUST NOT send a field more than once unless its value is a list,
 * and Authorization is not one; servers then take the first, the last, or refuse.
 * RFC 6750 §2: a client MUST NOT use more than one method to send the token in a request.
 */
export default defineCheck(
  {
    id: 'header.duplicate',
    plain: 'The sign-in details were sent twice',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected'],
    step: 3,
    kind: 'cause',
    title: 'The request sends its credentials more than once',
    fix: 'Send the credential once, in the Authorization header; remove the other copies.',
    ref: 'RFC 9110 §5.3, §11.6.2; RFC 6750 §2',
  },
  (f) => {
    const out: Draft[] = [];
    const auths = f.authorizations;

    if (auths.length > 1) {
      const distinct = new Set(auths.map((a) => a.value.trim())).size;
      const schemes = auths.map((a) => schemeWord(a) ?? '(no scheme)');
      out.push({
        confidence: 'confirmed',
        title: `The request sends ${auths.length} Authorization headers${distinct > 1 ? ' with different values' : ''}`,
        detail: [
          `Schemes in order: ${schemes.join(', ')}${distinct === 1 ? ' (the same value each time)' : ''}.`,
          'Authorization is not a list header (RFC 9110 §5.3): depending on the server or proxy the first one wins, the last one wins, they are joined with a comma into one broken value, or the request is refused with 400.',
        ].join('\n'),
        fix: "Send exactly one Authorization header: remove the extra `-H 'Authorization: …'` (or the code that adds a second one, e.g. a default header plus a per-request header).",
        evidence: auths.map((a) => requestHeader('Authorization', a.value)),
      });
    }

    // One API-key header name more than once.
    const seen = new Map<string, string[]>();
    for (const c of f.credentials) {
      if (c.kind !== 'api-key-header') continue;
      const k = c.name.toLowerCase();
      seen.set(k, [...(seen.get(k) ?? []), c.value]);
    }
    for (const [k, values] of seen) {
      if (values.length < 2) continue;
      const name = f.credentials.find((c) => c.name.toLowerCase() === k)?.name ?? k;
      out.push({
        confidence: new Set(values.map((v) => v.trim())).size > 1 ? 'likely' : 'possible',
        title: `The request sends the ${name} header ${values.length} times`,
        detail:
          'Servers read the first or the last copy, or join them with a comma into one value that matches no key.',
        fix: `Send one \`${name}\` header.`,
        evidence: values.map((v) => requestHeader(name, v)),
      });
    }

    // Credentials in two places. Only with exactly one Authorization header (the case above
    // already covers several).
    const only = auths.length === 1 ? auths[0] : undefined;
    if (only === undefined) return out;
    const lower = schemeWord(only)?.toLowerCase();
    const token = bearerPart(only.value);
    if (lower !== 'bearer' && lower !== 'dpop' && lower !== undefined) return out;

    for (const c of f.credentials) {
      if (c.kind === 'api-key-query' && c.name.toLowerCase() === 'access_token') {
        const same = c.value.trim() === token;
        // Possible, not more: many servers read only the header. RFC 6750 §2 forbids both, and
        // Spring Security refuses with 400 "Found multiple bearer tokens in the request".
        out.push({
          confidence: 'possible',
          title: same
            ? 'The token is sent twice: in the Authorization header and in the access_token query parameter'
            : 'The Authorization header and the access_token query parameter carry different tokens',
          detail: `RFC 6750 §2 allows one method per request; a server that reads the query parameter${same ? ' may refuse both (Spring Security answers 400 "Found multiple bearer tokens")' : ' uses the other token than the one you meant'}.`,
          fix: 'Remove `access_token` from the URL and send the token only as `Authorization: Bearer <token>`.',
          evidence: [requestHeader('Authorization', only.value), requestQuery(c.name, c.value)],
        });
      }
      if (c.kind === 'api-key-header' && RIVALS.includes(c.name.toLowerCase()) && c.value.trim() !== token) {
        out.push({
          confidence: 'possible',
          title: `The Authorization header and ${credentialLabel(c)} carry different credentials`,
          detail: `The API reads one of them; if it reads ${credentialLabel(c)} (or the header), the other value is ignored, and that one may be stale or for another environment.`,
          fix: `Check which one the API documents and send only that: \`Authorization: Bearer <token>\` or \`${c.name}: <key>\`.`,
          evidence: [requestHeader('Authorization', only.value), citeCredential(c)],
        });
      }
    }
    return out;
  },
);
