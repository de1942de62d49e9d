import type { EvidenceItem } from '../model/finding.js';
import type { TokenVerification } from '../model/evidence.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, durationWords, numericClaim, stringClaim } from './credential-util.js';
import { isAlgConfusion, serverWordsFor, verificationItem } from './idp-util.js';

/**
 * RFC 7515 §4.1.4: `kid` names the key that signed the token; RFC 7517 §4.5 lets the JWKS list
 * keys by kid. A kid the issuer's JWKS does not hold means the keys were rotated since the token
 * was signed, or the token comes from another issuer, tenant or environment (anchors §3.3).
 */

/** "k7, k8", or "k7 and 3 more": the kids the JWKS holds, in words. */
function kidsWords(keys: TokenVerification['jwksKeys']): string {
  if (keys.length === 0) return 'no keys at all';
  const names = keys.map((k) =>
    k.kid !== undefined ? k.kid : `(a ${k.kty ?? ''} key without kid)`.replace('  ', ' '),
  );
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}

function host(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

export default defineCheck(
  {
    id: 'jwt.kid-unknown',
    plain: 'The sign-in token was signed with a key the sign-in service no longer lists',
    directness: 2,
    absorbs: [
      'credentials.rejected',
      'server.gateway-rejected',
      'jwt.signature-invalid',
      'token.fresh-token-works',
    ],
    confirmedBy: ['jwt.signature-invalid', 'idp.jwks-failed'],
    freshConfirms: true,
    step: 3,
    kind: 'cause',
    title: "The token's signing key is not in the issuer's JWKS",
    fix: "Get a new token from the issuer this API uses (a token signed with a retired key never verifies again). If a new token fails the same way, the API and the token's issuer differ: check the API's Authority, issuer or JWKS URL. If you run the API and the issuer's JWKS does hold the kid, refresh the API's JWKS cache and let it refetch on an unknown kid.",
    ref: 'RFC 7515 §4.1.4; RFC 7517 §4.5; RFC 9068 §4',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const v = f.ev.idp?.verification;
    const kid = typeof jwt.header['kid'] === 'string' ? jwt.header['kid'] : undefined;
    const alg = typeof jwt.header['alg'] === 'string' ? jwt.header['alg'] : undefined;
    if (isAlgConfusion(alg, v)) return; // an HMAC token against public keys: jwt.alg-confusion
    const words = serverWordsFor(f, 'jwt.kid-unknown');
    const header: EvidenceItem[] = [];
    if (kid !== undefined) header.push(tokenClaim('header.kid', kid));
    if (alg !== undefined) header.push(tokenClaim('header.alg', alg));

    if (v?.result === 'kid-unknown') {
      const iss = stringClaim(jwt.payload, 'iss');
      const iat = numericClaim(jwt.payload, 'iat');
      const notes: string[] = [];
      const jh = host(v.jwksUrl);
      const ih = iss !== undefined ? host(iss) : undefined;
      if (jh && ih && jh !== ih)
        notes.push(
          `The JWKS was read from ${jh}, while the token's iss names ${ih}: the token may come from another issuer.`,
        );
      if (iat !== undefined && f.serverNow - iat * 1000 > 3_600_000)
        notes.push(
          `The token was issued ${durationWords(f.serverNow - iat * 1000)} ago; a key retired since then is no longer published.`,
        );
      if (words) notes.push(`The server says so too: "${words.quote}".`);
      const evidence: EvidenceItem[] = [
        verificationItem('result', 'kid-unknown'),
        ...header,
        { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
        {
          probe: 'jwks',
          where: 'document.keys',
          value: v.jwksKeys.map((k) => k.kid ?? `(${k.kty ?? 'key'} without kid)`).join(', ') || '(none)',
        },
      ];
      if (words) evidence.push(words.evidence);
      const kids = kidsWords(v.jwksKeys);
      return {
        confidence: 'confirmed',
        title:
          kid !== undefined
            ? `The token's signing key '${kid}' is not in the issuer's JWKS`
            : `The token names no kid and no key of the issuer's JWKS fits its alg${alg ? ` ${alg}` : ''}`,
        detail: `${kid !== undefined ? `token kid '${kid}'` : 'the token has no kid'}; the JWKS at ${v.jwksUrl} holds ${kids}: the keys were rotated, or the token comes from another issuer or environment.${notes.length ? ` ${notes.join(' ')}` : ''}`,
        evidence,
      };
    }

    if (!words) return;
    if (v?.result === 'valid') {
      return {
        confidence: 'likely',
        title: `The server does not know the signing key${kid !== undefined ? ` '${kid}'` : ''}, but the issuer's JWKS holds it`,
        detail: `${words.producer} answered ${words.status} with "${words.quote}", yet the token verifies with the JWKS at ${v.jwksUrl} (keys ${kidsWords(v.jwksKeys)}). The server's copy of the keys is stale (cached before a rotation) or it reads another issuer's JWKS.`,
        fix: `Whoever runs the API must refresh its JWKS cache (restart it, or let it refetch when it meets an unknown kid) and check that it reads ${v.jwksUrl}.`,
        evidence: [
          words.evidence,
          verificationItem('result', 'valid'),
          ...header,
          { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
        ],
      };
    }
    if (v && v.result !== 'unsupported') return;
    return {
      confidence: 'likely',
      title: `The server does not know the token's signing key${kid !== undefined ? ` '${kid}'` : ''}: ${words.quote}`,
      detail: `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning}`,
      evidence: [words.evidence, ...header],
    };
  },
);
