import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt } from './credential-util.js';
import { isAlgConfusion, isHmacAlg, serverWordsFor, verificationItem } from './idp-util.js';
import { redactorFor, serverMessages, messageEvidence, clip } from './response-util.js';

/**
 * RFC 8725 §2.1 (the RSA-to-HMAC key confusion) and §3.1 (verifiers allow-list algorithms): an
 * HS256/384/512 token, while the issuer publishes only public keys (RSA, EC, OKP). Either the
 * token was signed with a shared secret (a client secret, a local test secret) rather than the
 * issuer's key, or it was forged by using the issuer's public key as the HMAC secret. `alg: none`
 * is jwt.alg-none's.
 */
export default defineCheck(
  {
    id: 'jwt.alg-confusion',
    plain: 'The sign-in token is signed in a way its issuer does not use',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'jwt.signature-invalid'],
    confirmedBy: ['jwt.signature-invalid', 'jwt.kid-unknown'],
    step: 3,
    kind: 'cause',
    title: 'The token is signed with a shared secret (HMAC), but the issuer signs with public keys',
    fix: "Send an access token issued by the authorization server and signed with one of its published keys (RS256, ES256, …). If this is an ID token signed with the client secret, send the access token instead; if you made the token yourself, sign it with a key the API trusts. If you run the API, keep allowing only the issuer's asymmetric algorithms.",
    ref: 'RFC 8725 §2.1, §3.1; RFC 7518 §3.2',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const alg = jwt.header['alg'];
    if (!isHmacAlg(alg)) return;
    const v = f.ev.idp?.verification;
    const head: EvidenceItem[] = [tokenClaim('header.alg', alg)];
    if (typeof jwt.header['kid'] === 'string') head.push(tokenClaim('header.kid', jwt.header['kid']));
    const why =
      "Either it was signed with a shared secret instead of the issuer's key (some providers sign ID tokens with the client secret when the client asks for HS256; a locally made test token), or it was forged with the issuer's public key used as the HMAC secret (RFC 8725 §2.1).";

    if (v && isAlgConfusion(alg, v)) {
      const pub = v.jwksKeys
        .filter((k) => k.kty !== undefined)
        .map((k) => `${k.kid ?? '(no kid)'}: ${[k.kty, k.alg].filter(Boolean).join(' ')}`);
      const shown =
        pub.length > 6 ? `${pub.slice(0, 6).join(', ')} and ${pub.length - 6} more` : pub.join(', ');
      const evidence: EvidenceItem[] = [
        ...head,
        verificationItem('result', v.result),
        { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
        { probe: 'jwks', where: 'document.keys', value: shown },
      ];
      if (v.message) evidence.push(verificationItem('message', v.message));
      const words = serverWordsFor(f, 'jwt.signature-invalid') ?? serverWordsFor(f, 'jwt.kid-unknown');
      if (words) evidence.push(words.evidence);
      return {
        // The verifier refusing the algorithm is the proof; any other failure of an HMAC token
        // against public keys points the same way.
        confidence: v.result === 'alg-not-allowed' ? 'confirmed' : 'likely',
        title: `The token is signed with ${alg} (a shared secret), but the issuer publishes only public keys`,
        detail: `The token's header says "alg": "${alg}", an HMAC with a shared secret; the JWKS at ${v.jwksUrl} holds ${shown}, and verification ended with ${v.result}${v.message ? ` ("${v.message}")` : ''}. ${why}${words ? ` The server says: "${words.quote}".` : ''}`,
        evidence,
      };
    }

    // Without the issuer's keys: Envoy refuses an HS* token against a remote JWKS in these words.
    if (v) return;
    const x = f.final;
    const m = serverMessages(f).find((m) => m.entry.id === 'envoy.alg-not-supported');
    if (!x || !m) return;
    const redact = redactorFor(f);
    const quote = clip(redact(m.quote), 160);
    return {
      confidence: 'likely',
      title: `The server refuses the token's algorithm ${alg}: ${quote}`,
      detail: `The token's header says "alg": "${alg}", an HMAC with a shared secret, and ${m.entry.producer} answered ${f.status ?? ''} with "${quote}": it verifies with the issuer's public keys and accepts no HMAC algorithm. ${why}`,
      evidence: [...head, messageEvidence(x, m, f.challenges.challenges, redact)],
    };
  },
);
