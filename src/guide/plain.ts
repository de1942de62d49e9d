import type { Finding } from '../model/finding.js';
import type { StepNo } from './types.js';

/**
 * Each cause id in plain words, for someone who has never heard of a bearer token. A finding whose
 * id is not here is shown with its own title (the page can show its detail and fix by causeId).
 */
export const PLAIN: Readonly<Record<string, string>> = {
  // Step 1: the address and the sign-in state
  'url.double-slash': 'The address has an extra "/" in it, so it may point to the wrong page',
  'url.redirect-dropped-credentials':
    'The address sent the request on to a different site, and your sign-in details were left behind on the way',
  'url.insecure-http':
    'The address starts with http:// instead of https://, so the sign-in details travel unprotected',
  'url.environment-mismatch':
    'Your sign-in belongs to a different copy of the site (for example a test or staging copy) than the address',
  'url.wrong-endpoint': 'The address probably does not exist on this site (a wrong path or a typo)',
  'login.redirect': 'The site sent you to its sign-in page: your session has ended or was never started',
  'login.page': 'The site showed its sign-in page instead of what you asked for: you are not signed in',
  // Step 2: the session
  'token.expired': 'Your sign-in has expired (the pass the site gave you ran out of time)',
  'token.not-yet-valid': 'Your sign-in is not valid yet: a clock somewhere is wrong',
  'session.cookie-expired': 'The cookie that keeps you signed in has expired',
  'session.cookie-not-sent': 'Your browser held the sign-in cookie but did not send it to this address',
  'session.old-token-reused': 'After renewing your sign-in, an old, replaced one was still being sent',
  'session.refresh-loop': 'The app keeps renewing your sign-in, and each renewed sign-in is refused again',
  'session.stale': 'Your session worked, then ended',
  'token.fresh-token-works': 'A freshly issued sign-in works: the one being sent is out of date',
  'token.refresh-rejected': 'The sign-in service refused to renew your sign-in',
  'token.inactive': 'The sign-in service says this sign-in is no longer active (revoked or expired)',
  // Step 3: the credentials
  'credentials.missing': 'No sign-in details (password, key or sign-in token) were sent with the request',
  'credentials.rejected': 'The site refused the sign-in details that were sent',
  'header.scheme-missing':
    'The sign-in details were sent without the word that says what kind they are (like "Bearer")',
  'header.scheme-mismatch': 'The sign-in details are of a kind this site does not accept',
  'header.scheme-repeated': 'The word that says what kind of sign-in it is appears twice',
  'header.quoted': 'The sign-in token was sent with quote marks around it',
  'header.whitespace':
    'The sign-in details contain stray spaces or line breaks (often from copying and pasting)',
  'header.non-ascii': 'The sign-in details contain unusual characters (often from copying and pasting)',
  'header.placeholder':
    'A placeholder (like ${TOKEN}) was sent instead of the real sign-in details: a setting was never filled in',
  'header.duplicate': 'The sign-in details were sent twice',
  'token.malformed': 'The sign-in token is damaged or cut off (often from copying and pasting)',
  'basic.malformed': 'The user name and password are not packed the way the site expects',
  'basic.charset':
    'The user name or password has accented or special letters the site may not read correctly',
  'jwt.alg-none': 'The sign-in token is not signed, so no site should accept it',
  'jwt.alg-confusion': 'The sign-in token is signed in a way its issuer does not use',
  'jwt.id-token-used':
    'The wrong kind of sign-in token was sent (one that says who you are, not one that grants access)',
  'jwt.signature-invalid':
    "The sign-in token's signature does not match: it was changed or comes from elsewhere",
  'jwt.kid-unknown': 'The sign-in token was signed with a key the sign-in service no longer lists',
  'jwt.issuer-mismatch': 'The sign-in token comes from a different sign-in service than the site trusts',
  'jwt.audience-mismatch': 'The sign-in token was made for a different site or app',
  'jwt.scope-insufficient': 'Your sign-in does not include the permission this page needs',
  // Step 4: the site's settings
  'server.challenge-missing':
    'The site refused without saying how to sign in (it sent no sign-in instructions)',
  'server.challenge-malformed': 'The site sent sign-in instructions that cannot be read',
  'server.status-misused': 'The site uses the wrong kind of refusal code',
  'server.unsupported-challenge':
    'The site asks for a kind of sign-in (like Windows sign-in) this tool cannot do',
  'server.cached-401': 'The refusal came from a stored copy (a cache), not from the site itself',
  'server.gateway-rejected': 'A gateway in front of the site refused the request before the site saw it',
  'server.waf-blocked': 'A firewall in front of the site blocked the request',
  'clock.skew': "This computer's clock and the site's clock disagree",
  'idp.discovery-failed': "The sign-in service's settings could not be read",
  'idp.jwks-failed': "The sign-in service's signing keys could not be read",
  'dpop.required': 'The site wants a special, device-bound kind of sign-in token',
  'authz.forbidden': 'The site knows who you are, but your account is not allowed to do this',
  'cors.preflight-rejected':
    "The site refuses the browser's safety check (CORS) that comes before the request",
  'cors.header-not-allowed': "The site's browser settings (CORS) do not allow the sign-in details to be sent",
  'cors.method-not-allowed': "The site's browser settings (CORS) do not allow this kind of request",
  'cors.origin-not-allowed': "The site's browser settings (CORS) do not allow requests from this web page",
  'cors.credentials-wildcard': "The site's browser settings (CORS) are written in a way browsers refuse",
  // Step 5: the network
  'network.proxy-strips-auth':
    'A proxy on your network removes the sign-in details: it works without the proxy',
  'network.proxy-configured': 'This computer sends its web traffic through a proxy',
  'credentials.not-received':
    'The site acted as if no sign-in details arrived: something on the way may remove them',
  'network.tls-intercepted':
    'Something on your network (a company filter or security tool) opens the secure connection',
  'network.unreachable': 'The site could not be reached from this computer',
};

/**
 * Which step a finding belongs to: its check's meta `step` (carried on every finding). Step 0 is
 * the developer checklist and context: CORS and what the server says go to the server's step,
 * who the credentials name to the credentials' step, a session comparison to the session's step.
 */
export function stepOfFinding(f: Finding): StepNo | undefined {
  if (f.step >= 1 && f.step <= 5) return f.step as StepNo;
  if (f.id === 'info.identity') return 3;
  if (f.id === 'info.changed-since-success') return 2;
  if (f.id.startsWith('cors.') || f.id === 'info.challenge' || f.id === 'info.request-ids') return 4;
  return undefined;
}

export function plainTitle(f: Finding): string {
  return PLAIN[f.id] ?? f.title;
}
