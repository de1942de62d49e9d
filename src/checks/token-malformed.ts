import { defineCheck } from './check.js';
import { requestHeader } from './cite.js';
import { shapeOf } from './credential-util.js';

/**
 * RFC 7519 §7.2 / RFC 7515 §7.1: a signed JWT is three base64url segments of JSON, joined by
 * dots. A credential that starts like one (`eyJ`, dots) but does not decode was damaged on the
 * way: cut off, joined with something, or re-encoded.
 */
export default defineCheck(
  {
    id: 'token.malformed',
    plain: 'The sign-in token is damaged or cut off (often from copying and pasting)',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected'],
    step: 3,
    kind: 'cause',
    title: 'The token is not a well-formed JWT',
    fix: 'Copy the complete access_token from the token response again, in one piece, without quotes, line breaks or a trailing `…`.',
    ref: 'RFC 7519 §7.2; RFC 7515 §7.1, §2',
  },
  (f) => {
    const t = f.token;
    if (!t) return;
    const header = f.authorizations[0]?.value ?? t.value;
    const evidence = [requestHeader('Authorization', header)];
    // A UI that shortens a long value ends it with an ellipsis; the copy lacks the rest.
    const truncated = /(?:…|\.\.\.)$/.test(t.value);
    const d = t.decode;
    if (truncated) {
      return {
        confidence: 'likely',
        title: 'The bearer token ends in an ellipsis: it was copied truncated',
        detail: [
          `The value is ${shapeOf(t.value)} and ends in "${t.value.endsWith('…') ? '…' : '...'}", which a UI adds when it shortens a long value; the rest of the token is missing.`,
          d && !d.ok ? d.message : '',
        ]
          .filter((s) => s !== '')
          .join('\n'),
        fix: "Copy the whole token with the UI's copy button, or take it from the token response (`access_token`), not from the shortened text on screen.",
        evidence,
      };
    }
    if (!d || d.ok) return;
    if (d.reason === 'jwe') {
      // An encrypted token is well-formed; it is only wrong where the API expects a signed one.
      return {
        confidence: 'possible',
        title: 'The bearer token is an encrypted JWT (JWE), not a signed one',
        detail: `${d.message} Its 5 segments are header, encrypted key, IV, ciphertext and tag. An API that validates signed JWTs (JWS) rejects it; an ID token encrypted for the client looks like this too.`,
        fix: 'Send the access token the API expects; if the identity provider encrypts access tokens, make sure the API is set up to decrypt them.',
        evidence,
      };
    }
    return {
      confidence: 'likely',
      title: `The bearer token looks like a JWT but does not decode: ${d.message.replace(/\.$/, '')}`,
      detail: `The value is ${shapeOf(t.value)}. A signed JWT is header.payload.signature, each part base64url-encoded JSON (RFC 7519 §7.2); a server cannot read this one, so it refuses it before checking anything else.`,
      evidence,
    };
  },
);
