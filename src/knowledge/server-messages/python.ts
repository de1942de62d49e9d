import type { ServerMessageEntry } from '../server-messages.js';

/**
 * Python web frameworks: Django REST framework, FastAPI (and the wording of its security
 * tutorial, copied into many applications), Flask-HTTPAuth, and Django's CSRF protection (its
 * 403 page and the reasons DRF's SessionAuthentication puts after "CSRF Failed: ").
 *
 * DRF answers `{"detail": "…"}` with 401 when the first authentication class has a challenge
 * (`WWW-Authenticate: Token` / `Basic realm="api"`), else 403; FastAPI answers `{"detail": "…"}`.
 * Every string was read in the producer's source (path per entry).
 */

const DRF_EXC = 'encode/django-rest-framework:rest_framework/exceptions.py';
const DRF_AUTH = 'encode/django-rest-framework:rest_framework/authentication.py';
const FASTAPI_HTTP = 'tiangolo/fastapi:fastapi/security/http.py';
const FASTAPI_TUTORIAL = 'tiangolo/fastapi:docs_src/security/tutorial004.py';
const FASTAPI_SCOPES = 'tiangolo/fastapi:docs_src/security/tutorial005.py';
const FLASK_HTTPAUTH = 'miguelgrinberg/Flask-HTTPAuth:src/flask_httpauth.py';
const DJANGO_CSRF = 'django/django:django/middleware/csrf.py';
const DJANGO_CSRF_VIEW = 'django/django:django/views/csrf.py';

const DRF = 'Django REST framework';
const FASTAPI = 'FastAPI';
const DJANGO = 'Django CSRF middleware';

/** A DRF refusal: 401 with a challenge, or 403 when the first authentication class has none. */
const DRF_STATUS = [401, 403];

export const PYTHON_MESSAGES: readonly ServerMessageEntry[] = [
  // --- Django REST framework ------------------------------------------------------------------
  {
    id: 'drf.not-authenticated',
    producer: DRF,
    match: { status: DRF_STATUS, body: /^Authentication credentials were not provided\.$/ },
    cause: 'credentials.missing',
    meaning:
      'DRF found no credentials it reads: none were sent, or they were sent where no configured authentication class looks (a Bearer token to a Token-only API, a token to a session-only view).',
    source: DRF_EXC,
  },
  {
    id: 'drf.invalid-token',
    producer: DRF,
    match: { status: DRF_STATUS, body: /^Invalid token\.$/ },
    cause: 'credentials.rejected',
    meaning:
      'TokenAuthentication found no token with this key in its database (unknown, deleted or regenerated).',
    source: DRF_AUTH,
  },
  {
    id: 'drf.token-header-malformed',
    producer: DRF,
    match: {
      status: DRF_STATUS,
      body: /^Invalid token header\. (?:No credentials provided|Token string should not contain (?:spaces|invalid characters))\.$/,
    },
    cause: 'token.malformed',
    meaning:
      'TokenAuthentication read `Authorization: Token …` but the value after the scheme is empty, has spaces in it, or is not valid text.',
    source: DRF_AUTH,
  },
  {
    id: 'drf.basic-header-malformed',
    producer: DRF,
    match: {
      status: DRF_STATUS,
      body: /^Invalid basic header\. (?:No credentials provided|Credentials string should not contain spaces|Credentials not correctly base64 encoded)\.$/,
    },
    cause: 'basic.malformed',
    meaning:
      'BasicAuthentication read `Authorization: Basic …` but the value is empty, has spaces in it, or is not base64 of `user:password`.',
    source: DRF_AUTH,
  },
  {
    id: 'drf.invalid-username-password',
    producer: DRF,
    match: { status: DRF_STATUS, body: /^Invalid username\/password\.$/ },
    cause: 'credentials.rejected',
    meaning: 'BasicAuthentication decoded the user name and password, and Django did not authenticate them.',
    source: DRF_AUTH,
  },
  {
    id: 'drf.user-inactive',
    producer: DRF,
    match: { status: DRF_STATUS, body: /^User inactive or deleted\.$/ },
    cause: 'credentials.rejected',
    meaning: 'The credentials are right, but the account they belong to is deactivated (is_active is false).',
    source: DRF_AUTH,
  },
  {
    id: 'drf.authentication-failed',
    producer: DRF,
    match: { status: DRF_STATUS, body: /^Incorrect authentication credentials\.$/ },
    cause: 'credentials.rejected',
    meaning: 'An authentication class refused the credentials without saying why (AuthenticationFailed).',
    source: DRF_EXC,
  },
  {
    id: 'drf.csrf-failed',
    producer: DRF,
    match: { status: [403], body: /^CSRF Failed: / },
    cause: 'authz.csrf-rejected',
    meaning:
      'SessionAuthentication accepted the session cookie, then Django\'s CSRF check refused the unsafe method (the reason follows "CSRF Failed:"): send the `csrftoken` cookie\'s value in `X-CSRFToken`, or use token authentication.',
    source: DRF_AUTH,
  },
  {
    id: 'drf.permission-denied',
    producer: DRF,
    match: { status: [403], body: /^You do not have permission to perform this action\.$/ },
    cause: 'authz.forbidden',
    meaning:
      'The caller is authenticated (or the view allows anonymous callers), and a permission class refused this action: a role or object permission is missing.',
    source: DRF_EXC,
  },

  // --- FastAPI ----------------------------------------------------------------------------------
  {
    id: 'fastapi.not-authenticated',
    producer: FASTAPI,
    match: { status: [401, 403], body: /^Not authenticated$/ },
    cause: 'credentials.missing',
    meaning:
      "FastAPI's security dependency found no credentials where it reads them: no Authorization header (or no scheme or value in it), no API key header, query parameter or cookie; HTTPBasic also says it when the scheme is not Basic. Before 0.122 it answered 403, since then 401.",
    source: FASTAPI_HTTP,
  },
  {
    id: 'fastapi.invalid-authentication-credentials',
    producer: FASTAPI,
    match: { status: [403], body: /^Invalid authentication credentials$/ },
    cause: 'header.scheme-mismatch',
    meaning:
      'HTTPBearer (or HTTPDigest) found an Authorization header whose scheme is not the one it expects, e.g. `Token …` or a bare token where `Bearer …` is wanted (FastAPI before 0.122 answers this with 403).',
    source: FASTAPI_HTTP,
  },
  {
    id: 'fastapi.could-not-validate-credentials',
    producer: 'FastAPI application (security tutorial)',
    match: { status: [401], body: /^Could not validate credentials$/ },
    cause: 'credentials.rejected',
    meaning:
      "The application's token check (the FastAPI OAuth2/JWT tutorial's wording, widely copied) failed: the JWT did not decode or verify (bad signature, expired, wrong key) or its subject is not a known user.",
    source: FASTAPI_TUTORIAL,
  },
  {
    id: 'fastapi.not-enough-permissions',
    producer: 'FastAPI application (security tutorial)',
    match: { status: [401, 403], body: /^Not enough permissions$/ },
    cause: 'jwt.scope-insufficient',
    meaning:
      "The token is valid but lacks a scope the route declares (the FastAPI OAuth2 scopes tutorial's wording; the challenge's scope parameter names them).",
    source: FASTAPI_SCOPES,
  },

  // --- Flask-HTTPAuth -----------------------------------------------------------------------
  {
    id: 'flask-httpauth.unauthorized-access',
    producer: 'Flask-HTTPAuth',
    match: { status: [401], body: /^Unauthorized Access$/ },
    cause: 'credentials.rejected',
    meaning:
      "Flask-HTTPAuth's default error: the verify callback did not accept what was sent (wrong or unknown credentials, or none, or another scheme than the one configured).",
    source: FLASK_HTTPAUTH,
  },
  {
    id: 'flask-httpauth.role-refused',
    producer: 'Flask-HTTPAuth',
    match: { status: [403], body: /^Unauthorized Access$/ },
    cause: 'authz.forbidden',
    meaning:
      "Flask-HTTPAuth's default error with 403: the credentials were accepted but the user lacks the role the route requires.",
    source: FLASK_HTTPAUTH,
  },

  // --- Django CSRF (CsrfViewMiddleware and its 403 page) -----------------------------------------
  {
    id: 'django.csrf-origin',
    producer: DJANGO,
    match: {
      status: [403],
      body: /^(?:Origin checking failed - .+ does not match any trusted origins\.|Referer checking failed - (?:no Referer|Referer is malformed|Referer is insecure while host is secure|.+ does not match any trusted origins)\.)$/,
    },
    cause: 'authz.csrf-rejected',
    meaning:
      "Django's CSRF check refused an unsafe method because the Origin (or, over HTTPS without Origin, the Referer) is not this site nor in CSRF_TRUSTED_ORIGINS.",
    source: DJANGO_CSRF,
  },
  {
    id: 'django.csrf-cookie-missing',
    producer: DJANGO,
    match: { status: [403], body: /^CSRF cookie (?:not set|has incorrect length|has invalid characters)\.$/ },
    cause: 'authz.csrf-rejected',
    meaning:
      "Django's CSRF check refused an unsafe method because the request carried no valid `csrftoken` cookie (the client did not keep or send the cookie a GET of the site sets).",
    source: DJANGO_CSRF,
  },
  {
    id: 'django.csrf-token',
    producer: DJANGO,
    match: {
      status: [403],
      body: /^(?:CSRF token missing\.|CSRF token missing or incorrect\.|CSRF token from (?:POST|the '[\w-]+' HTTP header) (?:incorrect|has incorrect length|has invalid characters)\.)$/,
    },
    cause: 'authz.csrf-rejected',
    meaning:
      "Django's CSRF check refused an unsafe method: the cookie was there but no matching token came with it (neither the `csrfmiddlewaretoken` form field nor the `X-CSRFToken` header).",
    source: DJANGO_CSRF,
  },
  {
    id: 'django.csrf-failed',
    producer: DJANGO,
    match: { status: [403], body: /^CSRF verification failed\. Request aborted\.$/ },
    cause: 'authz.csrf-rejected',
    meaning:
      "Django's CSRF failure page: an unsafe method (POST, PUT, PATCH, DELETE) came without the CSRF cookie and a matching token, or from an untrusted origin.",
    source: DJANGO_CSRF_VIEW,
  },
];
