import type { EvidenceItem } from '../model/finding.js';
import { headerValue, headerValues } from '../model/http.js';
import type { Challenge } from '../parse/challenge.js';
import { defineCheck } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import { registryTokenFix } from './registry-token.js';

// Where sign-in pages live: a path segment such as /login or /signin, or a well-known IdP host.
const LOGIN_PATH =
  /\/(?:log-?in|log-?on|sign-?in|sign-?on|signon|sso|saml2?|authorize|auth|openid-connect\/auth)(?:[/?#.]|$)/i;
const LOGIN_HOST =
  /^(?:login\.microsoftonline\.com|accounts\.google\.com|[^/]+\.okta\.com|[^/]+\.auth0\.com|github\.com\/login)/i;

function looksLikeLogin(location: string, base: string): boolean {
  try {
    const u = new URL(location, base);
    return LOGIN_PATH.test(u.pathname) || LOGIN_HOST.test(u.host + u.pathname);
  } catch {
    return LOGIN_PATH.test(location);
  }
}

/** What to send, by the scheme the server asks for (curl flags, as the user most often runs curl). */
function fixFor(c: Challenge | undefined): string {
  if (c === undefined) {
    return "Send the credentials this API expects: usually `-H 'Authorization: Bearer <token>'`, an API key header such as `-H 'X-API-Key: <key>'`, or a session cookie (`-b 'name=value'`).";
  }
  switch (c.schemeLower) {
    case 'bearer':
      return "Send the access token: `-H 'Authorization: Bearer <token>'` (curl: `--oauth2-bearer <token>`).";
    case 'basic':
      return 'Send the user name and password: `curl -u user:password` (it builds `Authorization: Basic …`).';
    case 'digest':
      return 'Send Digest credentials: `curl --digest -u user:password`.';
    case 'negotiate':
      return 'Authenticate with Kerberos/SPNEGO: `kinit`, then `curl --negotiate -u :`.';
    case 'ntlm':
      return 'Send NTLM credentials: `curl --ntlm -u user:password`.';
    case 'dpop':
      return 'Send a DPoP-bound access token with a proof: `Authorization: DPoP <token>` plus a `DPoP: <proof JWT>` header (RFC 9449).';
    default:
      return `Send credentials for the \`${c.scheme}\` scheme the server asks for in \`Authorization: ${c.scheme} …\`.`;
  }
}

function describe(c: Challenge): string {
  const realm = c.params['realm'];
  const scope = c.params['scope'];
  return [
    c.scheme,
    realm !== undefined ? `realm "${realm}"` : '',
    scope !== undefined ? `scope "${scope}"` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
}

/** RFC 9110 §15.5.2, §11.6.1: a 401 names in WWW-Authenticate the schemes the server accepts. */
/** curl's lower-case scheme flags, as the schemes are written (RFC 7616, RFC 4559, MS-NTHT). */
const SCHEME_NAMES: Record<string, string> = { digest: 'Digest', ntlm: 'NTLM', negotiate: 'Negotiate' };

export default defineCheck(
  {
    id: 'credentials.missing',
    plain: 'No sign-in details (password, key or sign-in token) were sent with the request',
    directness: 1,
    step: 3,
    kind: 'cause',
    title: 'No credentials were sent',
    fix: fixFor(undefined),
    ref: 'RFC 9110 §15.5.2, §11.6.1; RFC 6750 §3',
    // "The server offers only Digest, which this request cannot perform": nothing was sent, and
    // this cause's fix already names the client that answers the challenge (`curl --digest -u`).
    absorbs: ['server.unsupported-challenge'],
  },
  (f) => {
    // Proxy-Authorization is consumed by the proxy (RFC 9110 §11.7.2): it never reaches the server.
    const proxyOnly = f.credentials.some((c) => c.kind === 'proxy-authorization');
    if (f.credentials.some((c) => c.kind !== 'proxy-authorization')) return;
    if (!f.final?.response) return;

    const loginHop = f.main.find((x) => {
      const r = x.response;
      const loc = r && r.status >= 300 && r.status < 400 ? headerValue(r.headers, 'location') : undefined;
      return loc !== undefined && looksLikeLogin(loc, x.request.url);
    });
    const status = f.status;
    if (status !== 401 && status !== 403 && !loginHop) return;

    const challenges =
      f.challenges.challenges.length > 0
        ? f.challenges.challenges
        : (f.anonymousChallenges?.challenges ?? []);
    const first = challenges.find((c) => c.schemeLower === 'bearer') ?? challenges[0];
    const evidence: EvidenceItem[] = [
      { probe: 'input', where: 'request.credentials', value: 'none' },
      responseStatus(f.final),
    ];
    for (const v of headerValues(f.final.response.headers, 'www-authenticate')) {
      evidence.push(responseHeader(f.final, 'WWW-Authenticate', v));
    }
    const details: string[] = [
      'The request carries no Authorization header, no Cookie, no API-key header and no key in the query string.',
    ];
    if (proxyOnly)
      details.push('Only Proxy-Authorization was sent; the proxy consumes it, the server never sees it.');

    if (loginHop && status !== 401 && status !== 403) {
      const loc = headerValue(loginHop.response?.headers ?? [], 'location') ?? '';
      evidence.push(responseHeader(loginHop, 'Location', loc));
      return {
        confidence: 'likely',
        title: `No credentials were sent, and the server redirects to a sign-in page (${loginHop.response?.status ?? ''})`,
        detail: [...details, `Location: ${loc}`].join('\n'),
        fix: 'Sign in and send the session cookie (`-b cookies.txt` or `-b "name=value"`), or send the API token if the API accepts one.',
        evidence,
      };
    }

    const offered = challenges.map(describe);
    if (offered.length > 0) details.push(`The server asks for: ${offered.join('; ')}.`);

    // -u was given with --digest (--ntlm, --negotiate, --anyauth): curl answers the challenge with
    // it, why401 does not, so nothing went out. Advising `curl --digest -u …` would tell the user
    // to send what they already sent: say what happened, and how to test the credentials.
    const held = f.ev.request.credentialsHeldFor ?? [];
    if (held.length > 0) {
      // --anyauth holds them all: name those the server asks for, when it asks for any of them.
      const asked = held.filter((s) => challenges.some((c) => c.schemeLower === s));
      const names = (asked.length > 0 ? asked : held).map((s) => SCHEME_NAMES[s] ?? s);
      const flag = held.length === 1 ? `--${held[0]}` : '--anyauth';
      const basicOffered = challenges.some((c) => c.schemeLower === 'basic');
      const realm = challenges.find((c) => held.includes(c.schemeLower))?.params.realm;
      return {
        // Confirmed as before: nothing went out, and the 401's challenge says what was wanted.
        confidence: status === 401 && challenges.length > 0 ? 'confirmed' : 'likely',
        title: `The credentials were given but not sent: why401 does not answer ${names.join(' or ')} challenges`,
        detail: [
          `curl sends -u's credentials with ${held.map((s) => `--${s}`).join(', ')} only as the answer to the server's challenge; why401 does not perform ${names.join(' or ')}, so its request went out without them, and the server answered ${status}.`,
          ...(offered.length > 0 ? [`The server asks for: ${offered.join('; ')}.`] : []),
          'Whether the credentials themselves are right is not known from this run.',
        ].join('\n'),
        fix: basicOffered
          ? `The server accepts Basic too: run why401 with \`-u user:password\` alone (without ${flag}) to check the credentials.`
          : `Check them with curl, which answers the challenge: \`curl -v ${flag} -u user:password URL\`; a second 401 there means a wrong user or password${realm ? ` for realm "${realm}"` : ''}.`,
        evidence: [
          {
            probe: 'input',
            where: 'request.credentials',
            value: `given, held for ${held.map((s) => `--${s}`).join(', ')}`,
          },
          ...evidence.slice(1),
        ],
      };
    }
    return {
      confidence: status === 401 && f.challenges.challenges.length > 0 ? 'confirmed' : 'likely',
      title:
        first !== undefined
          ? `No credentials were sent; the server asks for ${describe(first)}`
          : `No credentials were sent, and the server answered ${status}`,
      detail: details.join('\n'),
      fix: registryTokenFix(first) ?? fixFor(first),
      evidence,
    };
  },
);
