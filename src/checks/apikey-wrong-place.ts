import type { EvidenceItem } from '../model/finding.js';
import type { Challenge } from '../parse/challenge.js';
import { defineCheck, type Draft, type RepairProposal } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import { citeCredential, credentialLabel } from './credential-util.js';
import type { Facts, SentCredential } from '../facts/request.js';
import { userRequest, withAuthorization, withoutQueryParam } from './repair-util.js';
import { isSuccess } from '../facts/request.js';
import { messageEvidence, redactorFor, sameAsAnonymous, serverMessages } from './response-util.js';

/**
 * The token or key was sent, but not where this server reads it: in a custom header
 * (`X-Auth-Token`, `X-Access-Token`) or the query string, to a server that asks for
 * `Authorization` (its challenge, RFC 9110 §11.6.1) or says no credentials reached it. RFC 6750
 * §2.1 defines the header; §2.3's query parameter is deprecated (and OAuth 2.1 drops it). The
 * repair moves the credential into `Authorization` with the scheme the server asks for.
 */

/** Header names whose value is usually a bearer token (not a vendor API key): worth trying in Authorization before any answer. */
const TOKENISH = new Set(['x-auth-token', 'x-access-token', 'x-token', 'access-token', 'token']);
const TOKENISH_QUERY = new Set(['access_token', 'token', 'auth', 'jwt', 'id_token']);
/** Schemes a token can be moved into as it is. */
const TOKEN_SCHEMES = new Set(['bearer', 'token', 'jwt', 'dpop']);

function misplaced(f: Facts): SentCredential | undefined {
  if (f.authorizations.length > 0) return undefined;
  return f.credentials.find(
    (c) => (c.kind === 'api-key-header' || c.kind === 'api-key-query') && c.value.trim(),
  );
}

function tokenChallenge(f: Facts): Challenge | undefined {
  const all = [...f.challenges.challenges, ...(f.anonymousChallenges?.challenges ?? [])];
  return all.find((c) => TOKEN_SCHEMES.has(c.schemeLower));
}

function repairFor(f: Facts, c: SentCredential, scheme: string): RepairProposal {
  const value = `${scheme} ${c.value.trim()}`;
  const req =
    c.kind === 'api-key-query'
      ? { ...withAuthorization(f, value), url: withoutQueryParam(userRequest(f).url, c.name) }
      : withAuthorization(f, value, [c.name]);
  return { change: `\`Authorization: ${scheme} …\` instead of ${credentialLabel(c)}`, request: req };
}

function repairs(f: Facts): RepairProposal[] | undefined {
  const c = misplaced(f);
  if (!c) return undefined;
  const offered = tokenChallenge(f);
  // Before any answer: only credentials that are usually tokens (a vendor API key header is
  // most often exactly where its API reads it).
  if (!f.final) {
    const tokenish =
      c.kind === 'api-key-query'
        ? TOKENISH_QUERY.has(c.name.toLowerCase())
        : TOKENISH.has(c.name.toLowerCase());
    return tokenish ? [repairFor(f, c, 'Bearer')] : undefined;
  }
  if (!offered) return undefined;
  return [repairFor(f, c, offered.scheme)];
}

export default defineCheck(
  {
    id: 'apikey.wrong-place',
    plain: 'The sign-in token was sent in a place where this site does not look for it',
    directness: 1,
    absorbs: [
      'credentials.not-received',
      'credentials.missing',
      'credentials.rejected',
      'header.scheme-mismatch',
    ],
    confirmedBy: ['credentials.missing'],
    step: 3,
    kind: 'cause',
    title: 'The credential is sent where this server does not read it',
    fix: "Send it in the Authorization header: `-H 'Authorization: Bearer <token>'`.",
    ref: 'RFC 6750 §2.1, §2.3; RFC 9110 §11.6.1',
    repairDecides: true,
    applies: (f) => (misplaced(f) ? undefined : 'no credential was sent outside the Authorization header'),
  },
  (f): Draft | undefined => {
    const c = misplaced(f);
    const x = f.final;
    const r = f.response;
    if (!c || !x || !r || (r.status !== 401 && r.status !== 403)) return;
    const offered = tokenChallenge(f);
    const words = serverMessages(f).find((m) => m.entry.cause === 'credentials.missing');
    const proven = f.repairs.find((p) => p.causes.includes('apikey.wrong-place') && isSuccess(p.final));
    if (!offered && !words && !proven) return;
    const evidence: EvidenceItem[] = [citeCredential(c), responseStatus(x)];
    if (offered && f.challenges.challenges.includes(offered))
      evidence.push(responseHeader(x, 'www-authenticate', offered.raw));
    if (words) evidence.push(messageEvidence(x, words, f.challenges.challenges, redactorFor(f)));
    if (sameAsAnonymous(f))
      evidence.push({
        probe: 'anonymous',
        where: 'response.status',
        value: String(f.anonymous!.response!.status),
      });
    const scheme = offered?.scheme ?? 'Bearer';
    const where = credentialLabel(c);
    return {
      confidence: words || sameAsAnonymous(f) ? 'likely' : 'possible',
      title: `The credential is sent in ${where}, but this server reads \`Authorization: ${scheme}\``,
      detail: `The request carried its credential in ${where} and no Authorization header${offered ? `; the server's challenge asks for the ${offered.scheme} scheme` : ''}${words ? `, and the server says no credentials reached it` : ''}. RFC 6750 §2.1 sends a bearer token in \`Authorization: Bearer\`; a custom header or the query string is read only by servers documented to.`,
      fix:
        c.kind === 'api-key-query'
          ? `Move it out of the query string into the header: \`-H 'Authorization: ${scheme} <token>'\` (tokens in URLs also end up in logs).`
          : `Send it as \`-H 'Authorization: ${scheme} <token>'\` instead of \`-H '${c.name}: <token>'\`.`,
      evidence,
    };
  },
  repairs,
);
