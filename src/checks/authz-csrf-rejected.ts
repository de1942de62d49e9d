import type { ServerMessageMatch } from '../knowledge/server-messages.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseStatus } from './cite.js';
import { clip, messageEvidence, redactorFor, serverMessages } from './response-util.js';

/**
 * The server refused an unsafe request (POST, PUT, PATCH, DELETE) because its anti-forgery (CSRF)
 * token was missing or did not match: Django's CsrfViewMiddleware and DRF's SessionAuthentication,
 * Rails' protect_from_forgery, Laravel's 419, Spring Security's CsrfFilter. The session is fine;
 * the token a browser page would have sent beside it is not. No role or scope changes that.
 */

type Framework = 'django' | 'rails' | 'laravel' | 'spring';

const NOT_PERMISSION =
  'This is not a permission problem: no role, scope or new login token will help, only the CSRF token.';

const FIX: Record<Framework, string> = {
  django:
    "Send the `csrftoken` cookie back (GET a page of the site first to get it) and its value in an `X-CSRFToken` header (or the `csrfmiddlewaretoken` form field) on every POST, PUT, PATCH and DELETE. An API client that is not a browser should use token authentication (DRF's TokenAuthentication or a JWT) instead of the session cookie: CSRF is only enforced for session logins.",
  rails:
    'Send the token of the page\'s `<meta name="csrf-token">` tag (or the `authenticity_token` form field) in an `X-CSRF-Token` header with the session cookie it belongs to. For an API client, authenticate with a token and skip forgery protection for those controllers (`protect_from_forgery with: :null_session` or `skip_forgery_protection`).',
  laravel:
    "Send the `XSRF-TOKEN` cookie's value (URL-decoded) in an `X-XSRF-TOKEN` header, or the page's `csrf_token()` in `X-CSRF-TOKEN` (or the `_token` field), with the session cookie it belongs to; a 419 after a long pause means the session expired: reload the page. For an API client, use the `api` routes with token authentication (Sanctum tokens), which skip CSRF.",
  spring:
    "Send the CSRF token with the session it belongs to: the `XSRF-TOKEN` cookie's value in an `X-XSRF-TOKEN` header (CookieCsrfTokenRepository), or the token rendered in the page (`_csrf` parameter or `X-CSRF-TOKEN` header) with the same `JSESSIONID`. A stateless API that authenticates with a bearer token should not rely on the session: disable CSRF for it (`csrf.ignoringRequestMatchers`) or use `oauth2ResourceServer`.",
};

const ORIGIN_FIX: Partial<Record<Framework, string>> = {
  django:
    'Call the site from its own origin, or add the calling origin (scheme and host, e.g. `https://app.example.com`) to `CSRF_TRUSTED_ORIGINS`; behind a proxy that terminates TLS, set `SECURE_PROXY_SSL_HEADER` so Django knows the request was HTTPS.',
  rails:
    'Call the site from its own origin; behind a proxy, forward `X-Forwarded-Host` and `X-Forwarded-Proto` so `request.base_url` is the URL the browser used (the Origin must equal it).',
};

const NAME: Record<Framework, string> = {
  django: 'Django',
  rails: 'Rails',
  laravel: 'Laravel',
  spring: 'Spring Security',
};

function frameworkOf(m: ServerMessageMatch): Framework | undefined {
  const prefix = m.entry.id.split('.')[0];
  if (prefix === 'django' || prefix === 'drf') return 'django';
  if (prefix === 'rails' || prefix === 'laravel' || prefix === 'spring') return prefix;
  return undefined;
}

/** An Origin or Referer refusal, rather than a missing or wrong token. */
function isOriginRefusal(m: ServerMessageMatch): boolean {
  return /\b(?:Origin|Referer) (?:checking failed|header \()/.test(m.quote);
}

export default defineCheck(
  {
    id: 'authz.csrf-rejected',
    plain:
      'The site refused the request because a security token for forms (CSRF) was missing or did not match',
    directness: 1,
    absorbs: ['authz.forbidden', 'credentials.rejected'],
    step: 4,
    kind: 'cause',
    title: 'The server refused the request for a missing or wrong CSRF token',
    fix: `Send the CSRF token the site pairs with your session (the framework's cookie value in its header), or authenticate with a token instead of a session cookie. ${NOT_PERMISSION}`,
    ref: 'OWASP Cross-Site Request Forgery Prevention Cheat Sheet; Django, Rails, Laravel and Spring Security CSRF documentation',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const m = serverMessages(f).find((m) => m.entry.cause === 'authz.csrf-rejected');
    if (!m) return;
    const redact = redactorFor(f);
    const quote = clip(redact(m.quote), 160);
    const fw = frameworkOf(m);
    const origin = isOriginRefusal(m);
    const fix = fw ? ((origin ? ORIGIN_FIX[fw] : undefined) ?? FIX[fw]) : undefined;
    return {
      confidence: 'confirmed',
      title: origin
        ? `The server refused the request's origin for CSRF protection: ${clip(quote, 100)}`
        : `The server refused the request for a missing or wrong CSRF token: ${clip(quote, 100)}`,
      detail: `${m.entry.producer} answered ${r.status} with "${quote}". ${m.entry.meaning} ${NOT_PERMISSION}`,
      fix: fw && fix ? `${NAME[fw]}: ${fix} ${NOT_PERMISSION}` : undefined,
      evidence: [
        messageEvidence(x, m, f.challenges.challenges, redact),
        { probe: 'main', where: 'server.says', value: 'authz.csrf-rejected' },
        responseStatus(x),
      ],
    };
  },
);
