import type { EvidenceItem } from '../model/finding.js';
import { headerValues } from '../model/http.js';
import type { Challenge } from '../parse/challenge.js';
import { defineCheck, type Draft, type RepairProposal } from './check.js';
import { requestHeader, responseHeader } from './cite.js';
import { schemeWord } from './credential-util.js';
import type { Facts } from '../facts/request.js';
import { withAuthorization } from './repair-util.js';
import { clip, messageEvidence, redactorFor, serverMessages } from './response-util.js';
import { registryTokenFix } from './registry-token.js';

/** Schemes people write that no standard defines, and what they meant (lower case). */
const NON_STANDARD: Record<string, { meant: string; why: string }> = {
  token: {
    meant: 'bearer',
    why: '`Token` is not a standard scheme (GitHub and Django REST Framework accept it; OAuth 2.0 servers expect `Bearer`)',
  },
  jwt: {
    meant: 'bearer',
    why: '`JWT` is not a standard scheme (an old djangorestframework-jwt default); OAuth 2.0 servers expect `Bearer`',
  },
  'bearer:': { meant: 'bearer', why: '`Bearer:` has a stray colon; the scheme is the bare word `Bearer`' },
  'bearer-token': { meant: 'bearer', why: '`Bearer-Token` is not a scheme; the word is just `Bearer`' },
  bearertoken: { meant: 'bearer', why: '`BearerToken` is not a scheme; the word is just `Bearer`' },
  oauth: {
    meant: 'bearer',
    why: '`OAuth` is the OAuth 1.0 scheme; OAuth 2.0 access tokens go with `Bearer`',
  },
};

function fixFor(c: Challenge): string {
  switch (c.schemeLower) {
    case 'bearer':
      return "Send `Authorization: Bearer <token>`: in curl `-H 'Authorization: Bearer <token>'` or `--oauth2-bearer <token>`.";
    case 'basic':
      return 'Send `Authorization: Basic <base64 of user:password>`; curl builds it with `-u user:password`.';
    case 'digest':
      return 'Use Digest authentication: `curl --digest -u user:password`.';
    case 'negotiate':
      return 'Use Kerberos/SPNEGO: `kinit`, then `curl --negotiate -u :`.';
    case 'ntlm':
      return 'Use NTLM: `curl --ntlm -u user:password`.';
    case 'dpop':
      return 'Send `Authorization: DPoP <token>` with a `DPoP: <proof JWT>` header (RFC 9449 §7.1).';
    default:
      return `Send \`Authorization: ${c.scheme} <credentials>\`, the scheme the server names in WWW-Authenticate.`;
  }
}

/**
 * No challenge, but the server's words say the scheme is wrong (FastAPI's HTTPBearer answers a
 * `Token …` header with 403 "Invalid authentication credentials"): a non-standard scheme word is
 * then the cause, and `Bearer` what it meant.
 */
function wordsOnly(f: Facts): Draft[] | undefined {
  const words = serverMessages(f).find((m) => m.entry.cause === 'header.scheme-mismatch');
  const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
  const word = a && schemeWord(a);
  const odd = word ? NON_STANDARD[word.toLowerCase()] : undefined;
  if (!words || !a || !word || !odd || !f.final) return undefined;
  return [
    {
      confidence: 'likely',
      title: `The scheme \`${word}\` is not standard; the server wants \`Bearer\``,
      detail: `${odd.why}. The server answered ${f.status} with "${clip(words.quote, 100)}" and no challenge.`,
      fix: "Send `Authorization: Bearer <token>`: in curl `-H 'Authorization: Bearer <token>'` or `--oauth2-bearer <token>`.",
      evidence: [
        requestHeader('Authorization', a.value),
        messageEvidence(f.final, words, [], redactorFor(f)),
      ],
    },
  ];
}

/**
 * The repair: the same credential under the scheme the server asks for, when the credential can
 * move as it is (a token between Bearer, Token, JWT and DPoP; never Basic's user:password).
 */
function repair(f: Facts): RepairProposal[] | undefined {
  const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
  const word = a && schemeWord(a);
  if (!a || !word || !f.final || (f.status !== 401 && f.status !== 403)) return undefined;
  const lower = word.toLowerCase();
  if (!MOVABLE.has(lower) && NON_STANDARD[lower] === undefined) return undefined;
  const offered = [...f.challenges.challenges, ...(f.anonymousChallenges?.challenges ?? [])];
  if (offered.some((c) => c.schemeLower === lower)) return undefined;
  const target =
    offered.find((c) => MOVABLE.has(c.schemeLower))?.scheme ??
    (offered.length === 0 && serverMessages(f).some((m) => m.entry.cause === 'header.scheme-mismatch')
      ? 'Bearer'
      : undefined);
  if (!target || target.toLowerCase() === lower) return undefined;
  const cred = a.value.trim().slice(word.length).trim();
  if (!cred) return undefined;
  return [
    {
      change: `the scheme \`${target}\` instead of \`${word}\``,
      request: withAuthorization(f, `${target} ${cred}`),
    },
  ];
}

/** Schemes whose credential is a bare token, so it can move from one to another. */
const MOVABLE = new Set(['bearer', 'token', 'jwt']);

/**
 * RFC 9110 §11.6.1: the challenges in WWW-Authenticate list the schemes the server accepts;
 * scheme names compare case-insensitively (§11.1). A scheme outside that list is ignored.
 */
export default defineCheck(
  {
    id: 'header.scheme-mismatch',
    plain: 'The sign-in details are of a kind this site does not accept',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'credentials.not-received'],
    confirmedBy: ['credentials.missing'],
    step: 3,
    kind: 'cause',
    title: 'The Authorization scheme is not one the server offers',
    fix: "Send the scheme the server asks for in WWW-Authenticate, usually `-H 'Authorization: Bearer <token>'`.",
    ref: 'RFC 9110 §11.1, §11.6.1; RFC 6750 §2.1',
  },
  (f) => {
    const own = f.challenges.challenges;
    const anon = f.anonymousChallenges?.challenges ?? [];
    const offered = [...own, ...anon.filter((c) => !own.some((o) => o.schemeLower === c.schemeLower))];
    if (offered.length === 0) return wordsOnly(f);
    const cited: EvidenceItem[] = [];
    if (own.length > 0 && f.final?.response) {
      for (const v of headerValues(f.final.response.headers, 'www-authenticate')) {
        cited.push(responseHeader(f.final, 'WWW-Authenticate', v));
      }
    }
    if (anon.length > 0 && f.anonymous?.response) {
      for (const v of headerValues(f.anonymous.response.headers, 'www-authenticate')) {
        cited.push(responseHeader(f.anonymous, 'WWW-Authenticate', v));
      }
    }
    const names = offered.map((c) => c.scheme).join(', ');
    const confidence = own.length > 0 && (f.status === 401 || f.status === 400) ? 'confirmed' : 'likely';

    const out: Draft[] = [];
    for (const a of f.authorizations) {
      const word = schemeWord(a);
      if (word === undefined) continue;
      const lower = word.toLowerCase();
      if (offered.some((c) => c.schemeLower === lower)) continue;
      const odd = NON_STANDARD[lower];
      // The challenge to steer towards: the one the odd spelling meant, else Bearer, else the first.
      const target =
        offered.find((c) => c.schemeLower === odd?.meant) ??
        offered.find((c) => c.schemeLower === 'bearer') ??
        offered[0];
      if (target === undefined) continue;
      const detail = [`The server offers: ${names}.`];
      if (odd) detail.unshift(`${odd.why}.`);
      out.push({
        confidence,
        title: odd
          ? `The scheme \`${word}\` is not standard; the server asks for ${target.scheme}`
          : `The scheme \`${word}\` was sent, but the server asks for ${names}`,
        detail: detail.join('\n'),
        // Basic credentials to a registry belong in its token request, not in a Bearer header.
        fix:
          registryTokenFix(target, lower === 'basic' && f.basic?.ok ? f.basic.user : undefined) ??
          fixFor(target),
        evidence: [requestHeader('Authorization', a.value), ...cited],
      });
    }
    return out;
  },
  repair,
);
