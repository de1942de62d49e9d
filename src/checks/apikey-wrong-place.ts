import type { EvidenceItem } from '../model/finding.js';
import type { Challenge } from '../parse/challenge.js';
import { defineCheck, type Draft, type RepairProposal } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import { citeCredential, credentialLabel } from './credential-util.js';
import type { Facts, SentCredential } from '../facts/request.js';
import { userRequest, withAuthorization, withoutQueryParam } from './repair-util.js';
import { isSuccess } from '../facts/request.js';
import { messageEvidence, redactorFor, sameAsAnonymous, serverMessages } from './response-util.js';
import type { OpenApiRequirement } from '../model/evidence.js';
import { matchOperation, operationLabel, placeLabel } from './openapi-util.js';

/**
 * The token or key was sent, but not where this server reads it: in a custom header
 * (`X-Auth-Token`, `X-Access-Token`) or the query string, to a server that asks for
 * `Authorization` (its challenge, RFC 9110 §11.6.1) or says no credentials reached it. RFC 6750
 * §2.1 defines the header; §2.3's query parameter is deprecated (and OAuth 2.1 drops it). The
 * repair moves the credential into `Authorization` with the scheme the server asks for.
 *
 * With --openapi the document says where the operation reads its credential (OpenAPI 3.1
 * §4.8.27 Security Scheme Object: an apiKey's `in` and `name`; `http`, `oauth2` and
 * `openIdConnect` in Authorization): a credential sent elsewhere is misplaced before any answer.
 */

const header = (f: Facts, name: string): string | undefined =>
  f.ev.request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

function cookieNames(f: Facts): string[] {
  const c = header(f, 'cookie') ?? '';
  return c
    .split(';')
    .map((p) => p.split('=')[0]!.trim())
    .filter((n) => n !== '');
}

function queryNames(f: Facts): string[] {
  try {
    return [...new URL(f.ev.request.url).searchParams.keys()];
  } catch {
    return [];
  }
}

/** Does the request carry this requirement's credential where the document says? */
function present(f: Facts, r: OpenApiRequirement): boolean {
  const auth = (header(f, 'authorization') ?? '').trim().split(/\s+/)[0]!.toLowerCase();
  switch (r.type) {
    case 'apiKey':
      if (!r.name) return true;
      if (r.in === 'query') return queryNames(f).includes(r.name);
      if (r.in === 'cookie') return cookieNames(f).includes(r.name);
      return header(f, r.name) !== undefined;
    case 'http':
      return auth === (r.httpScheme ?? 'bearer') || (r.httpScheme === 'bearer' && auth === 'dpop');
    case 'oauth2':
    case 'openIdConnect':
      return auth === 'bearer' || auth === 'dpop';
    default:
      return true; // mutualTLS and unknown schemes: nothing in the request shows them
  }
}

const wantsAuthorization = (r: OpenApiRequirement): boolean =>
  r.type === 'http' || r.type === 'oauth2' || r.type === 'openIdConnect';

/** A credential sent where the documented operation does not read it, and the place it does. */
function documentMisplaced(
  f: Facts,
): { c: SentCredential; want: OpenApiRequirement; op: string; source: string } | undefined {
  const m = matchOperation(f);
  const op = m?.operation;
  if (!m || !op || op.security.length === 0) return;
  if (op.security.some((alt) => alt.every((r) => present(f, r)))) return;
  const wanted = op.security.flat();
  const declaredNames = new Set(wanted.filter((r) => r.type === 'apiKey' && r.name).map((r) => r.name!));
  const sent = f.credentials.find((c) => {
    if (!c.value.trim()) return false;
    if (c.kind === 'api-key-header' || c.kind === 'api-key-query') return true;
    // Authorization with a scheme the document does not ask for is header.scheme-mismatch, not a wrong place.
    if (c.kind === 'authorization') return !wanted.some(wantsAuthorization);
    if (c.kind === 'cookie') return cookieNames(f).some((n) => declaredNames.has(n));
    return false;
  });
  if (!sent) return;
  // The requirement to move it into: the one that names the same key, else the first declared.
  const want =
    wanted.find((r) => r.type === 'apiKey' && r.name?.toLowerCase() === sent.name.toLowerCase()) ??
    wanted.find((r) => r.type === 'apiKey') ??
    wanted[0]!;
  return { c: sent, want, op: operationLabel(op), source: m.doc.source };
}

function documentDraft(f: Facts): Draft | undefined {
  const d = documentMisplaced(f);
  if (!d) return;
  const where = credentialLabel(d.c);
  const place = placeLabel(d.want);
  const r = f.response;
  const refused = r !== undefined && (r.status === 401 || r.status === 403);
  if (r && !refused) return; // the server took it where it was: the document is what is wrong
  const evidence: EvidenceItem[] = [
    citeCredential(d.c),
    {
      probe: 'input',
      where: 'openapi.security',
      value: `${d.source}: ${d.op} reads ${d.want.scheme} from ${place.replace(/`/g, '')}`,
    },
  ];
  if (f.final && r) evidence.push(responseStatus(f.final));
  const sample =
    d.want.type === 'apiKey'
      ? d.want.in === 'query'
        ? `?${d.want.name}=<key>`
        : d.want.in === 'cookie'
          ? `-b '${d.want.name}=<key>'`
          : `-H '${d.want.name}: <key>'`
      : `-H 'Authorization: ${d.want.type === 'http' && d.want.httpScheme === 'basic' ? 'Basic' : 'Bearer'} <token>'`;
  return {
    confidence: refused ? 'likely' : 'possible',
    title: `The credential is sent in ${where}, but the OpenAPI document says ${d.op} reads it from ${place}`,
    detail: `${d.source} declares the security scheme "${d.want.scheme}" for ${d.op}: ${place}. The request carried its credential in ${where} instead${r ? `, and the server answered ${r.status}` : ''}. A server reads a credential only where it looks for it (OpenAPI 3.1 §4.8.27, Security Scheme Object \`in\` and \`name\`).`,
    fix: `Send it in ${place}: \`${sample}\`${d.c.kind === 'api-key-query' ? ' (and take it out of the URL, where it ends up in logs)' : ''}.`,
    evidence,
  };
}

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

/** The user's request with the credential moved where the document says the operation reads it. */
function documentRepair(f: Facts): RepairProposal | undefined {
  const d = documentMisplaced(f);
  if (!d || d.c.kind === 'cookie') return; // one cookie of several: not worth unpicking
  const value = d.c.kind === 'authorization' ? d.c.value.trim().replace(/^\S+\s+/, '') : d.c.value.trim();
  if (!value) return;
  const req = userRequest(f);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return;
  }
  if (d.c.kind === 'api-key-query') url.searchParams.delete(d.c.name);
  let headers = req.headers.filter(([n]) => n.toLowerCase() !== d.c.name.toLowerCase());
  const w = d.want;
  if (w.type === 'apiKey' && w.name) {
    if (w.in === 'query') url.searchParams.set(w.name, value);
    else if (w.in === 'cookie') {
      if (headers.some(([n]) => n.toLowerCase() === 'cookie')) return;
      headers.push(['Cookie', `${w.name}=${value}`]);
    } else headers.push([w.name, value]);
  } else if (
    w.type === 'oauth2' ||
    w.type === 'openIdConnect' ||
    (w.type === 'http' && w.httpScheme === 'bearer')
  ) {
    headers = headers.filter(([n]) => n.toLowerCase() !== 'authorization');
    headers.push(['Authorization', `Bearer ${value}`]);
  } else return;
  return {
    change: `${placeLabel(w)} instead of ${credentialLabel(d.c)}, as the OpenAPI document declares`,
    request: { ...req, url: url.toString(), headers },
  };
}

function repairs(f: Facts): RepairProposal[] | undefined {
  const fromDocument = documentRepair(f);
  if (fromDocument) return [fromDocument];
  if (documentMisplaced(f)) return undefined;
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
    applies: (f) =>
      misplaced(f) || documentMisplaced(f)
        ? undefined
        : 'no credential was sent outside the Authorization header',
  },
  (f): Draft | undefined => {
    const fromDocument = documentDraft(f);
    if (fromDocument) return fromDocument;
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
    const where = credentialLabel(c);
    // Words like FastAPI's "Not authenticated" say the credential was not found, not where the
    // server looks: with no challenge and no repair that worked, naming `Authorization: Bearer`
    // would be a guess (FastAPI's APIKeyHeader answers the same). Say what is known, and how
    // to find the place.
    if (!offered && !proven && words && !words.entry.readsAuthorization) {
      return {
        confidence: 'likely',
        title: `The credential is sent in ${where}, where this server does not read it`,
        detail: `The request carried its credential in ${where} and no Authorization header, and ${words.entry.producer === 'The server' ? 'the server' : words.entry.producer} says no credentials reached it: it looks for them somewhere else. Its answer carries no WWW-Authenticate challenge, so it does not say where.`,
        fix: `Send it where the API's documentation says it reads it: most read \`-H 'Authorization: Bearer <token>'\`, API keys often a header such as \`-H 'X-API-Key: <key>'\`${c.kind === 'api-key-query' ? ' (out of the URL, where it ends up in logs)' : ''}. Given the API's OpenAPI document (\`--openapi FILE|URL\`), why401 checks the place.`,
        evidence,
      };
    }
    const scheme = offered?.scheme ?? 'Bearer';
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
