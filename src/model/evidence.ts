import type { HeaderList } from './http.js';

/**
 * Evidence is everything a diagnosis is made from: plain data that can be saved as JSON and
 * checked again offline. Probes add to it; checks only read it.
 */

/** Where one header of the user's request came from, so findings can name the flag to change. */
export type HeaderOrigin =
  | 'header'
  | 'user'
  | 'oauth2-bearer'
  | 'cookie'
  | 'user-agent'
  | 'referer'
  /** curl -r / -C: Range, or Content-Range with an upload. */
  | 'range'
  /** curl -z: If-Modified-Since, If-Unmodified-Since or Last-Modified. */
  | 'time-cond';

/** The request the user asked for, as parsed from flags, a pasted curl command or a HAR entry. */
export interface RequestSpec {
  method: string;
  url: string;
  headers: HeaderList;
  /** Parallel to `headers`: which flag produced each header (same index). */
  headerOrigins?: HeaderOrigin[];
  body?: string;
  /**
   * The body's exact bytes, base64, when they are not UTF-8 text: curl -T or --data-binary @FILE
   * of a binary file, a -F form holding one (its multipart body, boundary and all, built by the
   * parser as curl builds it). `body` is then absent.
   */
  bodyBase64?: string;
  /** curl -T - : standard input goes out chunked (Transfer-Encoding), as curl sends it. */
  bodyChunked?: boolean;
  /**
   * Headers the client adds by itself (User-Agent, Accept, Accept-Encoding; lower case) that a
   * curl -H 'Name:' (or -A "") removed: curl then sends none, and neither does why401.
   */
  omitHeaders?: string[];
  /**
   * curl --proxy-header lines, as given (-H syntax: `Name: value`, `Name;` empty, `Name:` removes
   * one the client writes): sent to the proxy only — in the CONNECT of an https target, or in the
   * absolute-form request of an http one — never to a server reached direct.
   */
  proxyHeaders?: string[];
  /** curl -L: follow redirects. Without it the 3xx is the answer, as with curl: no probe follows one. */
  followRedirects: boolean;
  /** curl -k */
  insecure: boolean;
  /** curl --compressed: ask for gzip/deflate/br and decode. */
  compressed: boolean;
  /** curl --cacert: a CA bundle to trust for this request (the PEM text is filled in by the CLI, which can read files). */
  cacert?: { file: string; pem?: string };
  /** curl -x / --proxy */
  proxy?: string;
  /** curl --noproxy */
  noproxy?: string;
  /**
   * curl -U/--proxy-user USER:PASSWORD, as given: sent to the proxy only, as
   * Proxy-Authorization (src/probe/proxy.ts puts it in the proxy URL the run uses). A secret.
   */
  proxyUser?: string;
  /**
   * curl --aws-sigv4 with -u ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]: the request is
   * signed with AWS Signature Version 4 when it is sent (src/probe/sigv4.ts); the secret never
   * goes on the wire. `secretAccessKey` and `sessionToken` are secrets.
   */
  awsSigv4?: AwsSigv4Request;
  /**
   * -u's credentials were given but not sent: curl would answer the server's challenge with them
   * in one of these schemes (--digest, --ntlm, --negotiate, --anyauth; lower case), which why401
   * does not perform. Checks then never say "no credentials were given".
   */
  credentialsHeldFor?: string[];
  /**
   * The input cannot show credentials (a browser's HAR exported without sensitive data): an
   * absent Authorization or Cookie proves nothing, and the server's refusal words still count.
   */
  credentialsHidden?: boolean;
  /** curl -m, seconds → milliseconds: bounds the whole run. */
  maxTimeMs?: number;
  /** curl -b FILE with a Netscape cookie jar: the cookies it holds (also those not sent). */
  cookieJar?: JarCookie[];
  /** curl -b FILE / -H @FILE: files the parser saw but cannot read (platform-neutral); the CLI resolves them. */
  files?: { headerFiles: string[]; cookieFiles: string[]; dataFiles: string[] };
}

/** What --aws-sigv4 signs with: the parameters as curl reads them, and -u's key. */
export interface AwsSigv4Request {
  provider0: string;
  provider1: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** One line of a Netscape cookie-jar file (curl -c / -b). */
export interface JarCookie {
  domain: string;
  includeSubdomains: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Seconds since the epoch; 0 means a session cookie. */
  expires: number;
  name: string;
  value: string;
}

/**
 * `body`: the status line and headers arrived, then the body broke off (the connection closed
 * mid-body, or no data came within the body timeout). The exchange then has both `response`
 * (status, headers, the part of the body that came) and `error`.
 */
export type FailurePhase =
  'dns' | 'connect' | 'tls' | 'timeout' | 'protocol' | 'aborted' | 'refused-by-tool' | 'body';

export interface ExchangeError {
  phase: FailurePhase;
  code: string;
  message: string;
}

export interface ResponseData {
  status: number;
  statusText?: string;
  headers: HeaderList;
  /** The body as text, decoded (Content-Encoding undone), cut at the body cap. */
  body: string;
  /** Decoded bytes read; when truncated, the cap. */
  bodyBytes: number;
  bodyTruncated: boolean;
}

/** One request/response on the wire. */
export interface Exchange {
  /** Which probe made it: `main` for the user's own request, `anonymous`, … */
  probe: string;
  /** 0 for the first request of a probe, 1… for each redirect hop after it. */
  hop: number;
  request: { method: string; url: string; headers: HeaderList };
  response?: ResponseData;
  /** No answer at all, or (phase `body`) an answer whose body broke off: then `response` is set too. */
  error?: ExchangeError;
  /** Epoch milliseconds when sent. */
  startedAt: number;
  /** Duration in milliseconds until the body was read (or the error). */
  ms: number;
  /** Headers the client removed before this hop because the redirect crossed origins (Fetch §4.4). */
  droppedHeaders?: string[];
  /** Whether the request went through a proxy, and which (credentials in it redacted by the renderer). */
  via?: string;
  /** The TLS session of an https exchange: the chain the server (or an intercepting proxy) presented. */
  tls?: TlsInfo;
}

/** One certificate of a presented chain, leaf first (issue 4). */
export interface CertInfo {
  /** Distinguished names as one line each: "CN=api.example.com, O=Example". */
  subject: string;
  issuer: string;
  subjectAltNames?: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface TlsInfo {
  protocol?: string;
  alpn?: string;
  /** Whether the chain verified against the trusted roots (false with -k, or when the exchange failed on it). */
  authorized: boolean;
  /** Node's verification error code when it did not (CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN …). */
  authorizationError?: string;
  chain: CertInfo[];
}

/** Which proxy the request used and why (curl's precedence: -x, then the environment, then --noproxy/NO_PROXY). */
export interface ProxyInfo {
  /** The proxy URL, as configured (a password in it is a secret: redacted in outputs). */
  url: string;
  /** Where it came from: "-x", "HTTPS_PROXY", "https_proxy", "ALL_PROXY" … */
  source: string;
  /** True when NO_PROXY/--noproxy exempted the target: the request went direct. */
  bypassed: boolean;
  /** The NO_PROXY/--noproxy entry that matched, when bypassed. */
  bypassRule?: string;
}

/** A probe that was considered and not sent, with the reason (shown to the user). */
export interface SkippedProbe {
  probe: string;
  reason: string;
}

/** What the user says the API expects. */
export interface Expectations {
  issuer?: string;
  audience?: string;
  scopes?: string[];
}

export interface Evidence {
  /** Epoch milliseconds at which the diagnosis started: checks never read the clock themselves. */
  now: number;
  source: 'flags' | 'curl' | 'har' | 'token';
  request: RequestSpec;
  /** Problems with the input itself (unknown curl flags, unreadable files): shown as warnings. */
  inputWarnings: string[];
  exchanges: Exchange[];
  skippedProbes: SkippedProbe[];
  expect: Expectations;
  /** True when nothing was sent (--offline). */
  offline: boolean;
  /** What the identity provider and the resource's metadata said (issue 3). */
  idp?: IdpEvidence;
  /** --origin: the page origin a browser would send the request from, so its CORS preflight is checked (issue 4). */
  browserOrigin?: string;
  /** The proxy in effect for the target, if any (issue 4). */
  proxy?: ProxyInfo;
  /** Repaired requests that were sent (their traffic is in `exchanges` under the same probe name). */
  repairs?: RepairSent[];
  /** --openapi: what the API's OpenAPI document declares, as plain data (read by the CLI, never by a check). */
  openapi?: OpenApiSummary;
}

/**
 * The parts of an OpenAPI document a diagnosis compares the request with: its operations and
 * how each is secured. `security` lists alternatives (OpenAPI 3.1 §4.8.30: any one suffices), each
 * naming every scheme it needs; an empty list means the operation is documented as open.
 */
export interface OpenApiSummary {
  /** The file or URL it came from, for the evidence. */
  source: string;
  /** The path parts of the document's server URLs (`/v1`), which the request path may start with. */
  basePaths: string[];
  operations: OpenApiOperation[];
}

export interface OpenApiOperation {
  method: string;
  /** The path template as documented (`/pets/{petId}`). */
  path: string;
  security: OpenApiRequirement[][];
}

export interface OpenApiRequirement {
  /** The security scheme's name in the document. */
  scheme: string;
  type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS' | 'unknown';
  /** http: the Authorization scheme, lower case. */
  httpScheme?: string;
  /** apiKey: where the key goes and under which name. */
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  scopes: string[];
}

/** One repaired request: the user's request with one mistake corrected, proposed by a check. */
export interface RepairSent {
  /** `repair-1`, `repair-2` …: the probe name of its exchanges. */
  probe: string;
  /** The cause ids of the checks that proposed it (several checks may propose the same repair). */
  causes: string[];
  /** What was changed, in words. */
  change: string;
}

/**
 * Identity-provider evidence (issue 3): documents fetched around the token, its verification, a
 * fresh token grant and introspection. The user's access token never goes to discovery, JWKS or
 * token endpoints; only client credentials go to the token endpoint.
 */
export type DocumentKind = 'oidc-discovery' | 'oauth-metadata' | 'jwks' | 'protected-resource';

export interface FetchedDocument {
  kind: DocumentKind;
  url: string;
  /** Why this URL was asked, in words: "the token's iss", "--issuer", "resource_metadata in the challenge", "jwks_uri of the discovery document". */
  from: string;
  status?: number;
  /** Transport failure (no answer at all). */
  error?: ExchangeError;
  /** The parsed JSON body, when it was JSON. */
  json?: unknown;
  /** Why the document is unusable, in one sentence ("not JSON", "issuer inside is https://a/ but it was fetched for https://a"). */
  problem?: string;
  ms: number;
  /** Served from why401's disk cache (probe/http-cache.ts): the stored answer's age in seconds; revalidated when a 304 confirmed it. */
  cached?: { age: number; revalidated: boolean };
}

export type VerificationResult =
  | 'valid'
  | 'signature-invalid'
  | 'kid-unknown'
  | 'no-usable-key'
  | 'alg-not-allowed'
  | 'not-a-jws'
  | 'unsupported';

export interface TokenVerification {
  jwksUrl: string;
  /** The token header's kid and alg. */
  kid?: string;
  alg?: string;
  /** The kids the JWKS holds (with their kty/alg), to name them when the token's is missing. */
  jwksKeys: Array<{ kid?: string; kty?: string; alg?: string; use?: string }>;
  result: VerificationResult;
  /** jose's own words, for the evidence. */
  message?: string;
}

export interface GrantAttempt {
  grant: 'client_credentials' | 'refresh_token';
  tokenEndpoint: string;
  /** How the endpoint was found: "--token-url" or "token_endpoint of the discovery document". */
  from: string;
  status?: number;
  /** RFC 6749 §5.2 error and error_description. */
  error?: string;
  errorDescription?: string;
  transportError?: ExchangeError;
  /** The newly issued access token (a secret: redacted in every output). */
  accessToken?: string;
  tokenType?: string;
  scope?: string;
  expiresIn?: number;
  ms: number;
}

export interface IntrospectionResult {
  url: string;
  status?: number;
  active?: boolean;
  /** The RFC 7662 response (claims of an active token). */
  json?: unknown;
  error?: ExchangeError;
  problem?: string;
  ms: number;
}

export interface IdpEvidence {
  documents: FetchedDocument[];
  verification?: TokenVerification;
  grant?: GrantAttempt;
  introspection?: IntrospectionResult;
}
