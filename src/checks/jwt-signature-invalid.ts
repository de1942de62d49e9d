import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt } from './credential-util.js';
import { isAlgConfusion, isGraphTokenElsewhere, serverWordsFor, verificationItem } from './idp-util.js';

/**
 * RFC 7515 §5.2 / RFC 9068 §4: the API must verify the signature with a key the issuer publishes
 * (its JWKS). Our own verification against that JWKS proves it; the server's words ("signature
 * verification failed", "The signature is invalid", "Jwt verification fails") say it too.
 */
export default defineCheck(
  {
    id: 'jwt.signature-invalid',
    plain: "The sign-in token's signature does not match: it was changed or comes from elsewhere",
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.fresh-token-works'],
    freshConfirms: true,
    step: 3,
    kind: 'cause',
    title: "The token's signature does not verify against the issuer's keys",
    fix: "Get a new token from the issuer this API trusts (its token endpoint, same tenant and environment) and send it unchanged. If you run the API, verify against that issuer's current JWKS, not a local, test or copied key.",
    ref: 'RFC 7515 §5.2; RFC 9068 §4; RFC 8725 §3.1',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const alg = jwt.header['alg'];
    if ((typeof alg === 'string' && alg.toLowerCase() === 'none') || jwt.signature === '') return; // jwt.alg-none
    const v = f.ev.idp?.verification;
    if (isAlgConfusion(alg, v)) return; // an HMAC token against public keys: jwt.alg-confusion
    const words = serverWordsFor(f, 'jwt.signature-invalid');
    const kid = typeof jwt.header['kid'] === 'string' ? jwt.header['kid'] : undefined;
    const header: EvidenceItem[] = [];
    if (kid !== undefined) header.push(tokenClaim('header.kid', kid));
    if (typeof alg === 'string') header.push(tokenClaim('header.alg', alg));
    // Microsoft Graph hashes a `nonce` in the header before signing: only Graph can verify its tokens.
    const graphToken = isGraphTokenElsewhere(jwt.payload, f.ev.request.url);
    const graph =
      graphToken || typeof jwt.header['nonce'] === 'string'
        ? ` ${graphToken ? 'Its aud is Microsoft Graph' : 'Its header carries a "nonce"'}: that is a Microsoft Graph access token, which only Graph itself can verify; your own API needs a token requested for its own scope (api://<app-id>/.default), see jwt.audience-mismatch.`
        : '';

    if (v?.result === 'signature-invalid') {
      const key = v.jwksKeys.find((k) => kid !== undefined && k.kid === kid);
      const keyWords = key
        ? `the key '${kid}' (${[key.kty, key.alg].filter(Boolean).join(', ') || 'no kty/alg given'})`
        : kid !== undefined
          ? `the key '${kid}'`
          : 'the keys';
      const evidence: EvidenceItem[] = [
        verificationItem('result', 'signature-invalid'),
        { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
        ...header,
      ];
      if (v.message) evidence.push(verificationItem('message', v.message));
      if (words) evidence.push(words.evidence);
      return {
        // For a Graph token the failing signature is a consequence: the audience is the cause.
        confidence: graphToken ? 'likely' : 'confirmed',
        title:
          kid !== undefined
            ? `The token's signature does not verify with the issuer's key '${kid}'`
            : "The token's signature does not verify against the issuer's keys",
        detail: `Verified${typeof alg === 'string' ? ` as ${alg}` : ''} against ${keyWords} of the JWKS at ${v.jwksUrl}${v.message ? `: "${v.message}"` : ''}. The token was altered after signing, or was signed by another key that carries the same kid (a local or test key, another environment's issuer).${graph}${words ? ` The server says so too: "${words.quote}".` : ''}`,
        evidence,
      };
    }

    if (!words) return;
    if (v?.result === 'valid') {
      // The token is fine by the issuer's keys: the server verifies with others.
      return {
        confidence: 'likely',
        title: `The server rejects the token's signature ("${words.quote}"), yet it verifies with the issuer's keys`,
        detail: `${words.producer} answered ${words.status} with "${words.quote}", but the token verifies${kid !== undefined ? ` with key '${kid}'` : ''} of the issuer's JWKS at ${v.jwksUrl}. The server checks signatures with other keys: a configured static key or shared secret, another tenant's or environment's JWKS, or an old copy.`,
        fix: `Whoever runs the API must verify with the issuer's current keys (the JWKS at ${v.jwksUrl}, found through its discovery document) instead of a static key, secret or another issuer's keys.`,
        evidence: [
          words.evidence,
          verificationItem('result', 'valid'),
          { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
          ...header,
        ],
      };
    }
    if (v && v.result !== 'unsupported') return; // kid-unknown, alg or key problems: their own checks say more
    return {
      confidence: 'likely',
      title: `The server says the token's signature is invalid: ${words.quote}`,
      detail: `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning}${graph}`,
      evidence: [words.evidence, ...header],
    };
  },
);
