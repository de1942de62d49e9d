import type { ServerMessageEntry } from '../server-messages.js';

/**
 * CSRF refusals of web frameworks outside Python (Django's and DRF's live in python.ts): Rails,
 * Laravel and Spring Security. A CSRF refusal is not about who the caller is: the session is
 * fine, the request lacks the anti-forgery token the framework pairs with it.
 */

const RAILS_RFP = 'rails/rails:actionpack/lib/action_controller/metal/request_forgery_protection.rb';
const LARAVEL_CSRF = 'laravel/framework:src/Illuminate/Foundation/Http/Middleware/PreventRequestForgery.php';
const LARAVEL_419 = 'laravel/framework:src/Illuminate/Foundation/Exceptions/views/419.blade.php';
const SPRING_INVALID =
  'spring-projects/spring-security:web/src/main/java/org/springframework/security/web/csrf/InvalidCsrfTokenException.java';
const SPRING_MISSING =
  'spring-projects/spring-security:web/src/main/java/org/springframework/security/web/csrf/MissingCsrfTokenException.java';

const SPRING = 'Spring Security CSRF';

export const CSRF_MESSAGES: readonly ServerMessageEntry[] = [
  // --- Rails: protect_from_forgery with: :exception (422 via ActionDispatch::ExceptionWrapper) ----
  {
    id: 'rails.csrf-origin',
    producer: 'Rails forgery protection',
    match: { body: /HTTP Origin header \(.*\) didn't match request\.base_url \(.*\)/ },
    cause: 'authz.csrf-rejected',
    meaning:
      "Rails refused an unsafe method because the request's Origin is not the site's own base URL (a cross-origin form post or fetch, or a proxy that changes the host or scheme).",
    source: RAILS_RFP,
  },
  {
    id: 'rails.csrf-token',
    producer: 'Rails forgery protection',
    match: {
      body: /Can't verify CSRF token authenticity\.|\bActionController::Invalid(?:AuthenticityToken|CrossOriginRequest)\b/,
    },
    cause: 'authz.csrf-rejected',
    meaning:
      'Rails refused an unsafe method because no valid authenticity token came with it (neither the `authenticity_token` form field nor the `X-CSRF-Token` header matched the session).',
    source: RAILS_RFP,
  },

  // --- Laravel: TokenMismatchException, rendered as 419 ----------------------------------------
  {
    id: 'laravel.csrf-token-mismatch',
    producer: 'Laravel',
    match: { status: [419], body: /^CSRF token mismatch\.$/ },
    cause: 'authz.csrf-rejected',
    meaning:
      "Laravel's CSRF middleware found no token matching the session's: neither the `_token` field, `X-CSRF-TOKEN`, nor `X-XSRF-TOKEN` (the encrypted `XSRF-TOKEN` cookie's value), or the session itself expired.",
    source: LARAVEL_CSRF,
  },
  {
    id: 'laravel.page-expired',
    producer: 'Laravel',
    match: { status: [419], body: /^Page Expired$/ },
    cause: 'authz.csrf-rejected',
    meaning:
      "Laravel's 419 page: the CSRF token of the form or request did not match the session's (missing, stale, or the session expired).",
    source: LARAVEL_419,
  },

  // --- Spring Security: CsrfFilter (servlet) and CsrfWebFilter (reactive), 403 ------------------
  {
    id: 'spring.csrf-invalid',
    producer: SPRING,
    match: { status: [403], body: /^Invalid CSRF Token\b/ },
    cause: 'authz.csrf-rejected',
    meaning:
      'Spring Security found a CSRF token on the request (`_csrf` parameter or `X-CSRF-TOKEN` / `X-XSRF-TOKEN` header) that does not match the one it stored for this session or cookie.',
    source: SPRING_INVALID,
  },
  {
    id: 'spring.csrf-missing',
    producer: SPRING,
    match: {
      status: [403],
      body: /^(?:Could not verify the provided CSRF token because (?:your session was not found|no token was found to compare)\.|Expected CSRF token not found\. Has your session expired\?|An expected CSRF token cannot be found)$/,
    },
    cause: 'authz.csrf-rejected',
    meaning:
      'Spring Security has no stored CSRF token to compare with: the session (or the XSRF-TOKEN cookie) that holds it was not sent or has expired.',
    source: SPRING_MISSING,
  },
];
