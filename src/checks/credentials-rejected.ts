import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { identifyFrontServers } from '../knowledge/front-servers.js';
import { responseStatus } from './cite.js';
import { refusedBasic } from './server-gateway-rejected.js';
import type { Facts } from '../facts/request.js';
import {
  CAUSE_WORDS,
  challengeEvidence,
  clip,
  errorOf,
  jsonOAuthError,
  messageEvidence,
  redactorFor,
  serverMessages,
} from './response-util.js';

/**
 * The server refused the credentials and said so: RFC 6750 §3.1 `invalid_token` or
 * `invalid_request`, or one of the known messages of real servers (src/knowledge/server-messages.ts).
 * The cause the words point to goes into a `server.says` evidence item, so that the ranking layer
 * can confirm the specific check that found the same thing from the token itself.
 */

const FIX: Record<string, string> = {
  'token.expired':
    'Get a new access token (refresh grant, or sign in again) and retry. If a brand-new token is refused the same way, compare the clocks of this machine, the issuer and the server.',
  'token.not-yet-valid':
    'Sync the clocks of the token issuer, the server and this machine (NTP); a token whose nbf or iat lies in the future is refused until then.',
  'token.malformed':
    'Send the access token exactly as issued: one `Authorization: Bearer <token>` header, no quotes, spaces or line breaks, nothing cut off; and a JWT where the API expects one (not an opaque or ID token).',
  'token.inactive': 'The token was revoked: get a new one (sign in again) and stop using the old one.',
  'jwt.audience-mismatch':
    'Request the token for this API: set the `audience` (or `resource`, or the API scope) parameter of the token request to the identifier this API expects.',
  'jwt.issuer-mismatch':
    "Get the token from the issuer this API trusts, or set the API to that issuer exactly (scheme, host, port, path and trailing slash must match the token's `iss`).",
  'jwt.signature-invalid':
    "Use a token issued by the authorization server, tenant and environment this API trusts; if you run the API, verify against that issuer's current JWKS (not a local or test key).",
  'jwt.kid-unknown':
    'Get a token from the issuer and environment this API uses; if you run the API, refresh its JWKS cache (the signing keys were rotated) and check its Authority / JWKS URL.',
  'jwt.alg-none': 'Send a signed token: an unsigned (`alg: none`) token is never accepted.',
  'credentials.missing':
    'Make sure the credentials reach the server: send `Authorization: Bearer <token>` (or the header the API documents) and check that no redirect, proxy or gateway strips it.',
  'header.scheme-mismatch':
    'Send the token with the scheme the server expects: `Authorization: Bearer <token>`.',
  'header.duplicate':
    'Send the token once, in the Authorization header only, not also in the query string or the body.',
  'idp.jwks-failed':
    "The server cannot load the issuer's signing keys: whoever runs it must fix the JWKS URL or the network path from the server to the issuer; retrying later may help while a first fetch is in flight.",
  'dpop.required':
    'Send the token as `Authorization: DPoP <token>` with a fresh `DPoP` proof for this method and URL, signed with the key the token is bound to.',
  'url.wrong-endpoint':
    'Check the path, method and stage against the API documentation: this answer usually means the route does not exist.',
  'credentials.rejected':
    'Get fresh credentials and retry; if they are refused the same way, ask the API owner what the message means for this account.',
};

/** Words about what the caller may do, not about the credentials: their own checks quote them. */
const NOT_ABOUT_CREDENTIALS = new Set(['jwt.scope-insufficient', 'authz.forbidden', 'authz.csrf-rejected']);

function noun(f: Facts): string {
  if (f.basic) return 'user name and password';
  if (f.token) return 'token';
  return 'credentials';
}

function titleFor(f: Facts, cause: string, quote: string, producer?: string): string {
  if (cause === 'credentials.missing') return `The server says no credentials reached it: ${quote}`;
  if (cause === 'url.wrong-endpoint')
    return `${producer ?? 'The server'} answered "${quote}": the path or method probably does not exist`;
  return `The server rejected the ${noun(f)}: ${quote}`;
}

export default defineCheck(
  {
    id: 'credentials.rejected',
    plain: 'The site refused the sign-in details that were sent',
    directness: 5,
    step: 3,
    kind: 'cause',
    title: 'The server rejected the credentials',
    fix: FIX['credentials.rejected']!,
    ref: 'RFC 6750 §3.1; RFC 9110 §15.5.2',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const redact = redactorFor(f);
    const challenges = f.challenges.challenges;
    const status = responseStatus(x);
    const says = (cause: string) => ({ probe: 'main', where: 'server.says', value: cause });

    // 0. Basic credentials sent, and the server asks for Basic again: the password (or the user)
    // was refused. Quote the server's words when it has any, and name the user, never the password.
    // Some servers answer a right password the same way when a rule admits only other users
    // (Apache `Require user`): then the title does not claim the password was wrong, and the fix
    // names the rule and the log line that tells the two apart (knowledge/front-servers).
    if (refusedBasic(f) && f.basic?.ok) {
      const user = f.basic.user;
      const product = identifyFrontServers(r.headers, r.body).find((s) => s.role === 'front');
      const known = product?.basicAuth;
      const admits = known?.admits;
      const basic = challenges.find((c) => c.schemeLower === 'basic')!;
      const realm = basic.params['realm'];
      const who = product ? product.product : 'the server';
      const where = known
        ? ` (${known.userFile}${known.log && !admits ? `; its error log says ${known.log}` : ''})`
        : '';
      const rule = admits
        ? ` ${who} answers a right password the same way when ${admits.rule} does not admit ${user}.`
        : '';
      const logs =
        admits && known.log
          ? ` (its error log says ${known.log} for the password or the user${admits.log ? `, ${admits.log} for the rule` : ''})`
          : '';
      const check = admits
        ? `, that ${user} is a user of this realm${where}, and that ${admits.rule} admits ${user}${logs}`
        : ` and that ${user} is a user of this realm${where}`;
      return {
        confidence: 'likely',
        title: admits
          ? `${who} refused user ${user}: a wrong password, or a user this location does not admit`
          : `The server refused the password for user ${user}`,
        detail: `The request sent Basic credentials for the user ${user}, and ${who} answered 401 with a new Basic challenge${realm ? ` (realm "${realm}")` : ''}: it checked them and did not accept them. Either the password is wrong, or ${user} is not in its user file (an htpasswd file, a user database).${rule}`,
        fix: `Check the password for ${user} (and its case and any trailing newline in a script)${check}; then retry with \`curl -u ${user}:<password>\`.`,
        evidence: [
          { probe: 'input', where: 'request.basic.user', value: user },
          challengeEvidence(x, basic),
          says('credentials.rejected'),
          status,
        ],
      };
    }

    // A request that carried no credentials (Proxy-Authorization stops at the proxy) had none to
    // refuse: words that say "refused" (Flask-HTTPAuth's "Unauthorized Access", any
    // invalid_token/invalid_request challenge) then describe the missing credential, which
    // credentials.missing names with the right fix. Words that point elsewhere (a wrong path,
    // "no credentials") still count.
    // A HAR exported without credentials hides them: there, absence proves nothing.
    const nothingSent =
      !f.ev.request.credentialsHidden && !f.credentials.some((c) => c.kind !== 'proxy-authorization');

    // 1. Words we know: the most telling first. Scope refusals belong to authz.forbidden.
    // On a success or a redirect, only words known to come with that status (Slack's 200) count:
    // a page that merely mentions "jwt expired" is not a refusal.
    const refused = r.status >= 400;
    const m = serverMessages(f).find(
      (m) =>
        !NOT_ABOUT_CREDENTIALS.has(m.entry.cause) &&
        !(nothingSent && m.entry.cause === 'credentials.rejected') &&
        (refused || m.entry.match.status?.includes(r.status)),
    );
    if (m) {
      const cause = m.entry.cause;
      const quote = clip(redact(m.quote), 160);
      const where =
        m.where === 'challenge'
          ? 'in its WWW-Authenticate challenge'
          : m.where === 'header'
            ? 'in a response header'
            : 'in the response body';
      const points =
        cause === 'credentials.rejected' ? '' : ` This points to ${cause}: ${CAUSE_WORDS[cause] ?? cause}.`;
      return {
        confidence: 'confirmed',
        title: titleFor(f, cause, clip(quote, 100), m.entry.producer),
        detail: `${m.entry.producer} answered ${r.status} with "${quote}" ${where}. ${m.entry.meaning}${points}`,
        fix: m.entry.fix?.(x.request.url) ?? FIX[cause] ?? FIX['credentials.rejected']!,
        evidence: [messageEvidence(x, m, challenges, redact), says(cause), status],
      };
    }

    // 2. RFC 6750 error codes in the challenge, then in an OAuth-style JSON body.
    if (nothingSent) return;
    const invalidToken = challenges.find((c) => errorOf(c) === 'invalid_token');
    const invalidRequest = challenges.find((c) => errorOf(c) === 'invalid_request');
    const json = jsonOAuthError(f.bodyJson);
    const c = invalidToken ?? invalidRequest;
    if (c) {
      const code = errorOf(c)!;
      const description = c.params['error_description'];
      const quote = description ? clip(redact(description), 160) : `error="${code}"`;
      const rfc =
        code === 'invalid_token'
          ? 'RFC 6750 §3.1: the access token is expired, revoked, malformed, or invalid for other reasons.'
          : 'RFC 6750 §3.1: the request is malformed: a missing or repeated parameter, an unsupported value, or the token sent in more than one way.';
      return {
        confidence: 'confirmed',
        title:
          code === 'invalid_token'
            ? `The server rejected the ${noun(f)}: ${quote}`
            : `The server refused the request as malformed: ${quote}`,
        detail: `The server answered ${r.status} with error="${code}"${description ? ` and "${quote}"` : ' and no description'}. ${rfc}`,
        evidence: [challengeEvidence(x, c), says('credentials.rejected'), status],
      };
    }
    if (json && (json.error === 'invalid_token' || json.error === 'invalid_request')) {
      const quote = json.description ? clip(redact(json.description), 160) : `"error": "${json.error}"`;
      return {
        confidence: 'confirmed',
        title:
          json.error === 'invalid_token'
            ? `The server rejected the ${noun(f)}: ${quote}`
            : `The server refused the request as malformed: ${quote}`,
        detail: `The server answered ${r.status} with the OAuth error "${json.error}" in its body${json.description ? `: "${quote}"` : ''}.`,
        evidence: [
          { probe: 'main', where: 'response.body.error', value: json.error },
          says('credentials.rejected'),
          status,
        ],
      };
    }

    // 3. express-oauth2-jwt-bearer answers a malformed Authorization header with 400 and a bare challenge.
    const bearerish = challenges.find((c) => c.schemeLower === 'bearer' || c.schemeLower === 'dpop');
    if (r.status === 400 && bearerish) {
      return {
        confidence: 'confirmed',
        title: 'The server refused the Authorization header as malformed (400 with a Bearer challenge)',
        detail:
          'A 400 that carries a Bearer challenge is an invalid_request (RFC 6750 §3.1): express-oauth2-jwt-bearer answers this way when the header is not `Bearer <token>` (another scheme such as Basic, or stray spaces).',
        fix: 'Send exactly `Authorization: Bearer <token>`: the Bearer scheme, one space, the token.',
        // A bearer-style header refused as malformed: the server's word for a formatting fault
        // (stray spaces, quotes, a doubled scheme), which corroborates the finding that names it.
        evidence: [
          challengeEvidence(x, bearerish),
          says(f.token ? 'token.malformed' : 'credentials.rejected'),
          status,
        ],
      };
    }
    return;
  },
);
