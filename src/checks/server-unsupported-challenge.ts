import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseStatus } from './cite.js';
import { challengeEvidence, offeredChallenges } from './response-util.js';

/**
 * The server offers only schemes that a plain request with a header cannot satisfy: Negotiate
 * (Kerberos/SPNEGO), NTLM, Digest, Mutual, HOBA, AWS SigV4, or a vendor scheme. These need a
 * handshake or a per-request signature; the tool that can do it is named.
 */

/**
 * Schemes that need more than a header: a handshake, a server nonce or a per-request signature.
 * Any other scheme (`Token` of Django REST framework and GitHub, `ApiKey`, `JWT`) is a word and a
 * credential in one header, which curl sends as `-H 'Authorization: Token …'`: a request can do it.
 */
const NEEDS_MORE = new Set([
  'negotiate',
  'kerberos',
  'ntlm',
  'digest',
  'aws4-hmac-sha256',
  'mutual',
  'hoba',
  'scram-sha-1',
  'scram-sha-256',
  'key',
]);

const HOW: Record<string, { what: string; fix: string }> = {
  negotiate: {
    what: 'Negotiate (Kerberos/SPNEGO, the Windows or Active Directory single sign-on)',
    fix: 'Get a Kerberos ticket (`kinit user@REALM`, or be signed in to the domain), then call it with `curl --negotiate -u : URL`.',
  },
  kerberos: {
    what: 'Kerberos',
    fix: 'Get a Kerberos ticket (`kinit user@REALM`), then call it with `curl --negotiate -u : URL`.',
  },
  ntlm: {
    what: 'NTLM (a Windows connection handshake)',
    fix: "Use a client that does the NTLM handshake on one connection: `curl --ntlm -u 'DOMAIN\\user' URL`.",
  },
  digest: {
    what: 'Digest (a challenge-response over a fresh server nonce)',
    fix: 'Use a client that answers the Digest challenge: `curl --digest -u user URL`; a copied Authorization: Digest header is tied to an old nonce and will not work.',
  },
  'aws4-hmac-sha256': {
    what: 'AWS Signature Version 4 (every request is signed)',
    fix: 'Sign the request with SigV4: `curl --aws-sigv4 "aws:amz:REGION:SERVICE" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" URL`, or use the AWS CLI or SDK.',
  },
  mutual: {
    what: 'Mutual (RFC 8120, password-based mutual authentication)',
    fix: 'Use a client that implements the Mutual scheme (RFC 8120); plain headers cannot answer it.',
  },
  hoba: {
    what: 'HOBA (RFC 7486, origin-bound key pairs)',
    fix: 'Use a browser or client that implements HOBA (RFC 7486); plain headers cannot answer it.',
  },
  key: {
    what: 'Key (Kong key-auth: an API key, not an Authorization scheme)',
    fix: 'Send the API key in the header or query parameter Kong reads (`apikey` by default), for example `-H "apikey: <key>"`.',
  },
};

export default defineCheck(
  {
    id: 'server.unsupported-challenge',
    plain: 'The site asks for a kind of sign-in (like Windows sign-in) this tool cannot do',
    directness: 3,
    step: 4,
    kind: 'cause',
    title: 'The server offers only an authentication scheme this request cannot perform',
    fix: 'Use a client that implements the scheme the server offers, or ask for Bearer or Basic access for this API.',
    ref: 'RFC 9110 §11.6.1; RFC 4559 (Negotiate); RFC 7616 (Digest)',
  },
  (f): Draft | undefined => {
    const { challenges, from } = offeredChallenges(f);
    if (!from?.response || challenges.length === 0) return;
    const status = from.response.status;
    if (status !== 401 && status !== 403) return;
    if (!challenges.every((c) => NEEDS_MORE.has(c.schemeLower))) return;

    const schemes = [...new Map(challenges.map((c) => [c.schemeLower, c.scheme])).values()];
    const known = schemes
      .map((s) => HOW[s.toLowerCase()])
      .filter((h): h is { what: string; fix: string } => h !== undefined);
    const what = schemes
      .map((s) => HOW[s.toLowerCase()]?.what ?? `${s} (a scheme specific to this server or vendor)`)
      .join(', or ');
    const sent = f.authorizations[0]?.parsed.scheme;
    const sentSame = sent !== undefined && schemes.some((s) => s.toLowerCase() === sent.toLowerCase());
    return {
      confidence: 'likely',
      title: `The server offers only ${schemes.join(' or ')}, which this request cannot perform`,
      detail: `The ${status} asks for ${what}, and offers no Basic, Bearer or DPoP.${sentSame ? ` The request already sends ${sent}, but a copied header of this scheme is bound to an earlier handshake or signature and cannot be replayed.` : ''}`,
      fix:
        known.length > 0
          ? known
              .map((h, i) => (i === 0 ? h.fix : `Or ${h.fix[0]!.toLowerCase()}${h.fix.slice(1)}`))
              .join(' ')
          : undefined,
      evidence: [responseStatus(from), ...challenges.map((c) => challengeEvidence(from, c))],
    };
  },
);
