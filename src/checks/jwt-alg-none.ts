import { defineCheck } from './check.js';
import { requestHeader, tokenClaim } from './cite.js';
import { decodedJwt } from './credential-util.js';

/**
 * RFC 7518 §3.6 defines `alg: none` (an Unsecured JWS, empty signature); RFC 8725 §3.1 and
 * RFC 9068 §4 tell every API to refuse it. An empty signature segment with another `alg` is
 * a token whose signature was stripped (or cut off after the last dot).
 */
export default defineCheck(
  {
    id: 'jwt.alg-none',
    plain: 'The sign-in token is not signed, so no site should accept it',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.malformed'],
    confirmedBy: ['token.malformed', 'jwt.signature-invalid'],
    step: 3,
    kind: 'cause',
    title: 'The token is unsigned',
    fix: 'Get a signed token from the issuer (the token endpoint of the identity provider). If you made this token yourself for a test, sign it with a key the API trusts; no correct API accepts `alg: none`.',
    ref: 'RFC 8725 §3.1; RFC 7518 §3.6; RFC 9068 §4',
  },
  (f) => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const alg = jwt.header['alg'];
    const none = typeof alg === 'string' && alg.toLowerCase() === 'none';
    const empty = jwt.signature === '';
    if (!none && !empty) return;
    const evidence = [requestHeader('Authorization', f.authorizations[0]?.value ?? '')];
    if (alg !== undefined) evidence.push(tokenClaim('header.alg', alg));
    evidence.push({
      probe: 'input',
      where: 'token.signature',
      value: empty ? '(empty)' : `(${jwt.signature.length} characters)`,
    });
    if (none) {
      return {
        confidence: 'confirmed',
        title: `The token is unsigned (\`"alg": "${alg as string}"\`)`,
        detail: `Its header says "alg": "${alg as string}"${empty ? ' and its signature segment is empty' : ', yet it carries a signature segment'}. APIs must refuse unsigned tokens (RFC 8725 §3.1): anyone could have written one.`,
        evidence,
      };
    }
    return {
      confidence: 'confirmed',
      title:
        alg === undefined
          ? 'The token has no signature (empty third segment, and no "alg")'
          : `The token has no signature (empty third segment, though "alg" says ${typeof alg === 'string' ? alg : JSON.stringify(alg)})`,
      detail:
        'The token ends with a dot and nothing after it: the signature was stripped or cut off. The API cannot verify it and refuses it.',
      fix: 'Copy the complete token from the token response (it has three parts, and the third is the signature), or get a new one.',
      evidence,
    };
  },
);
