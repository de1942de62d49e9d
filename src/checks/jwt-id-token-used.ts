import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import { scopesOf } from '../parse/jwt.js';

// OpenID Connect Core §2 (nonce, auth_time), §3.1.3.6 (at_hash), §3.3.2.11 (c_hash): claims of ID tokens.
const ID_CLAIMS = ['nonce', 'at_hash', 'c_hash', 'auth_time'];

/**
 * An ID token tells the client who signed in; an API needs an access token (RFC 9068 §2.1 types
 * it `at+jwt`, §5 explains why the two must not be confused). The header `typ` alone proves
 * nothing (most issuers write `JWT` on both), so the claims decide.
 */
export default defineCheck(
  {
    id: 'jwt.id-token-used',
    plain: 'The wrong kind of sign-in token was sent (one that says who you are, not one that grants access)',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'jwt.audience-mismatch'],
    confirmedBy: ['jwt.audience-mismatch'],
    step: 3,
    kind: 'cause',
    title: 'An ID token was sent instead of an access token',
    fix: 'Send the `access_token` from the token response, not the `id_token`. If the provider issues no access token for this API, request one for it (Entra ID: a scope of the API such as `api://<app-id>/.default`; Auth0: the `audience` parameter).',
    ref: 'OpenID Connect Core 1.0 §2; RFC 9068 §2.1, §5; RFC 8725 §3.11',
  },
  (f) => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const p = jwt.payload;
    const evidence: EvidenceItem[] = [];
    const aud = p['aud'];
    const client = stringClaim(p, 'azp') ?? stringClaim(p, 'client_id');
    const audNote =
      typeof aud === 'string' && client !== undefined && aud === client
        ? ` Its "aud" is the client's own id (${aud}), not the API.`
        : '';

    // AWS Cognito marks its tokens: token_use is "id" or "access".
    if (p['token_use'] === 'id') {
      evidence.push(tokenClaim('token_use', 'id'));
      return {
        confidence: 'confirmed',
        title: 'An ID token was sent instead of an access token (`token_use: "id"`)',
        detail: `The token says "token_use": "id": AWS Cognito issues it to tell the app who signed in; APIs (API Gateway's Cognito authorizer with scopes, or any JWT check for access tokens) need the token with "token_use": "access".${audNote}`,
        fix: 'Send the `AccessToken` (the `access_token` of the token response), not the `IdToken`.',
        evidence,
      };
    }

    const typ = jwt.header['typ'];
    if (typeof typ === 'string' && /^(?:application\/)?at\+jwt$/i.test(typ)) return; // typed as an access token
    const found = ID_CLAIMS.filter((c) => Object.hasOwn(p, c));
    if (found.length === 0) return;
    const { hasScopeClaim } = scopesOf(p);
    if (hasScopeClaim) return;
    for (const c of found) evidence.push(tokenClaim(c, p[c]));
    if (typeof aud === 'string' || Array.isArray(aud)) evidence.push(tokenClaim('aud', aud));
    return {
      confidence: 'likely',
      title: 'The token looks like an OpenID Connect ID token, not an access token',
      detail: `It carries ${found.map((c) => `"${c}"`).join(', ')}, claims of ID tokens (OpenID Connect Core §2), and no "scope" or "scp" claim, which access tokens carry.${audNote}`,
      evidence,
    };
  },
);
