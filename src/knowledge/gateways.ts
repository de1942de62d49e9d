import { bodyLines } from './body-text.js';
import type { HeaderList } from '../model/http.js';
import { headerValues } from '../model/http.js';
import { AWS } from './gateways/aws.js';
import { AZURE } from './gateways/azure.js';
import { EDGE } from './gateways/edge.js';
import { ENVOY } from './gateways/envoy.js';
import { GOOGLE } from './gateways/google.js';
import { IDENTITY } from './gateways/identity.js';
import { KONG } from './gateways/kong.js';
import { PROXIES } from './gateways/proxies.js';
import { SAAS } from './gateways/saas.js';

/**
 * Who answered: the gateways, proxies, WAFs, CDNs, identity-aware proxies and web servers that
 * refuse a request before (or instead of) the application, kept as data, one entry per producer
 * signature. Platform-neutral data plus pure matchers.
 *
 * src/knowledge/server-messages.ts reads what an application's auth library says; this catalog
 * names the layer that said it. The two may quote the same words (Envoy's "Jwt is expired"):
 * here they carry the producer and the layer.
 *
 * Every string was read in the producer's source or documentation, or seen on the wire in
 * public reports (source per entry; see shared/research/anchors.md §4e–§4g).
 */

/** What sort of layer produced the answer. */
export type GatewayKind =
  | 'gateway'
  | 'waf'
  | 'cdn'
  | 'identity-proxy'
  | 'web-server'
  /** An identity provider's own endpoints (token, userinfo): they refuse before any API is called. */
  | 'identity-provider'
  /** A SaaS API answering for itself: named for context, never "in front of" the application. */
  | 'saas-api';

/** The cause ids an entry maps to (a subset of shared/spec/causes.md). */
export type GatewayCause =
  | 'server.gateway-rejected'
  | 'server.waf-blocked'
  | 'url.wrong-endpoint'
  | 'login.redirect'
  | 'credentials.missing'
  | 'credentials.rejected'
  | 'token.expired'
  | 'token.not-yet-valid'
  | 'token.malformed'
  | 'token.refresh-rejected'
  | 'jwt.audience-mismatch'
  | 'jwt.issuer-mismatch'
  | 'jwt.signature-invalid'
  | 'jwt.kid-unknown'
  | 'header.duplicate'
  | 'idp.jwks-failed'
  | 'authz.forbidden'
  | 'clock.skew';

export interface HeaderRule {
  /** Header name, compared case-insensitively. */
  name: string;
  /** Tested against each value of the header; omitted: the header only has to be present. */
  value?: RegExp;
}

/** One rule, or several of which any one is enough. */
export type HeaderCondition = HeaderRule | HeaderRule[];

export interface GatewayMatchSpec {
  /** The response status must be one of these. */
  status?: number[];
  /** Every condition must hold. */
  headers?: HeaderCondition[];
  /** None of these headers may be present (lower case). */
  absent?: string[];
  /**
   * Tested against the raw body (first 64 KiB), then against its text: tags stripped, entities
   * decoded, one line per line.
   */
  body?: RegExp;
  /** Tested against each WWW-Authenticate value as sent. */
  challenge?: RegExp;
}

export interface GatewayEntry {
  /** `producer.what`, e.g. `kong.key-auth-no-key`. */
  id: string;
  /** Who answered, as a person would name it (`Kong key-auth plugin`). */
  producer: string;
  kind: GatewayKind;
  /** Required conditions. */
  match: GatewayMatchSpec;
  /** Optional signals: not needed to match, but each one present makes the match stronger. */
  support?: { headers?: HeaderRule[]; challenge?: RegExp };
  /** The cause id the answer points to; `server.gateway-rejected` when it names no finer cause. */
  cause: GatewayCause;
  /** Plain words: what the answer means and why it happens. */
  explanation: string;
  /** What to change. */
  fix: string;
  /** Where the strings were read: a URL or `owner/repo:path`. */
  source: string;
  /** The most a match can claim (a weak or ambiguous signature). */
  confidence?: 'likely' | 'possible';
}

export interface GatewayInput {
  status: number;
  headers: HeaderList;
  body: string;
}

export interface GatewayEvidence {
  where: 'body' | 'header' | 'challenge';
  /** Header name (lower case) for `header`. */
  name?: string;
  value: string;
}

export interface GatewayMatch {
  entry: GatewayEntry;
  /** The producer's own words: the matched body text, else the matched challenge or header. */
  quote: string;
  /** Where the quote comes from: its words, its challenge, or only its headers. */
  quoteFrom: 'body' | 'challenge' | 'headers';
  evidence: GatewayEvidence[];
  /** `confirmed`: two independent signals (body, headers, challenge); `likely`: one; capped by the entry. */
  strength: 'confirmed' | 'likely' | 'possible';
  /** Signals that held: required and supporting. */
  signals: number;
}

export const GATEWAYS: readonly GatewayEntry[] = [
  ...ENVOY,
  ...KONG,
  ...AWS,
  ...AZURE,
  ...GOOGLE,
  ...EDGE,
  ...PROXIES,
  ...IDENTITY,
  ...SAAS,
];

// ---------------------------------------------------------------------------------------------
// The matcher.

const MAX_BODY = 64 * 1024;

/** The body as text: scripts and tags dropped, entities decoded, whitespace collapsed per line. */
export function bodyText(body: string): string {
  return bodyLines(body).join('\n');
}

function firstHeader(headers: HeaderList, rule: HeaderRule): { name: string; value: string } | undefined {
  const value = headerValues(headers, rule.name).find((v) => !rule.value || rule.value.test(v));
  return value === undefined ? undefined : { name: rule.name.toLowerCase(), value };
}

function clip(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

interface Prepared {
  raw: string;
  text: () => string;
  challenges: string[];
}

function matchOne(e: GatewayEntry, x: GatewayInput, p: Prepared): GatewayMatch | undefined {
  const m = e.match;
  if (m.status && !m.status.includes(x.status)) return undefined;
  if (m.absent?.some((n) => headerValues(x.headers, n).length > 0)) return undefined;

  const evidence: GatewayEvidence[] = [];
  let signals = 0;

  if (m.headers) {
    for (const cond of m.headers) {
      const rules = Array.isArray(cond) ? cond : [cond];
      const hit = rules.map((r) => firstHeader(x.headers, r)).find((h) => h !== undefined);
      if (!hit) return undefined;
      evidence.push({ where: 'header', name: hit.name, value: hit.value });
    }
    signals++;
  }

  let challengeQuote: string | undefined;
  if (m.challenge) {
    challengeQuote = p.challenges.find((c) => m.challenge!.test(c));
    if (challengeQuote === undefined) return undefined;
    evidence.push({ where: 'challenge', name: 'www-authenticate', value: challengeQuote });
    signals++;
  }

  let bodyQuote: string | undefined;
  if (m.body) {
    const found = m.body.exec(p.raw) ?? m.body.exec(p.text());
    if (!found) return undefined;
    // The first capture group, when the pattern has one, is the producer's own words.
    const words = found.slice(1).find((g) => g !== undefined && g !== '') ?? found[0];
    // An empty body can satisfy a pattern (a bare local reply): that is no quote and no signal.
    if (words.trim()) {
      bodyQuote = clip(words, 200);
      evidence.unshift({ where: 'body', value: bodyQuote });
      signals++;
    }
  }

  // Supporting signals: present or not, they only make the match stronger.
  const s = e.support;
  if (s?.headers) {
    const hits = s.headers
      .map((r) => firstHeader(x.headers, r))
      .filter((h): h is { name: string; value: string } => h !== undefined)
      .filter((h) => !evidence.some((ev) => ev.where === 'header' && ev.name === h.name));
    if (hits.length > 0) {
      signals++;
      for (const h of hits) evidence.push({ where: 'header', name: h.name, value: h.value });
    }
  }
  if (s?.challenge && !m.challenge) {
    const c = p.challenges.find((c) => s.challenge!.test(c));
    if (c !== undefined) {
      signals++;
      evidence.push({ where: 'challenge', name: 'www-authenticate', value: c });
    }
  }

  if (evidence.length === 0) return undefined;
  const quote =
    bodyQuote ??
    challengeQuote ??
    evidence.map((ev) => (ev.name ? `${ev.name}: ${ev.value}` : ev.value)).join('; ');
  let strength: GatewayMatch['strength'] = signals >= 2 ? 'confirmed' : 'likely';
  if (e.confidence === 'possible') strength = 'possible';
  else if (e.confidence === 'likely' && strength === 'confirmed') strength = 'likely';
  const quoteFrom = bodyQuote !== undefined ? 'body' : challengeQuote !== undefined ? 'challenge' : 'headers';
  return { entry: e, quote, quoteFrom, evidence, strength, signals };
}

const STRENGTH = { confirmed: 0, likely: 1, possible: 2 } as const;

/**
 * Every entry the response matches, most specific first: the strongest, then the one with the
 * most signals, then catalog order (a producer's specific words come before its generic
 * signature).
 */
export function matchGateways(x: GatewayInput, catalog: readonly GatewayEntry[] = GATEWAYS): GatewayMatch[] {
  const raw = x.body.slice(0, MAX_BODY);
  let text: string | undefined;
  const p: Prepared = {
    raw,
    text: () => (text ??= bodyText(raw)),
    challenges: headerValues(x.headers, 'www-authenticate'),
  };
  const out: Array<{ m: GatewayMatch; i: number }> = [];
  catalog.forEach((e, i) => {
    const m = matchOne(e, x, p);
    if (m) out.push({ m, i });
  });
  return out
    .sort((a, b) => STRENGTH[a.m.strength] - STRENGTH[b.m.strength] || b.m.signals - a.m.signals || a.i - b.i)
    .map((o) => o.m);
}

// ---------------------------------------------------------------------------------------------
// Layers named from headers alone, for context ("the answer passed through Cloudflare").

export interface LayerRule {
  layer: string;
  kind: GatewayKind | 'proxy' | 'cache' | 'platform';
  header: string;
  value?: RegExp;
  /** What the header says about who answered. */
  note?: string;
  source: string;
}

const KONG_CONF = 'https://docs.konghq.com/gateway/latest/reference/configuration/#headers';
const ENVOY_ROUTER =
  'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-upstream-service-time';

export const LAYER_RULES: readonly LayerRule[] = [
  {
    layer: 'Cloudflare',
    kind: 'cdn',
    header: 'cf-ray',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/cloudflare.py',
  },
  {
    layer: 'Cloudflare',
    kind: 'cdn',
    header: 'server',
    value: /^cloudflare/i,
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/cloudflare.py',
  },
  {
    layer: 'Cloudflare',
    kind: 'waf',
    header: 'cf-mitigated',
    note: 'Cloudflare answered with a challenge page itself',
    source:
      'https://developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response',
  },
  {
    layer: 'Amazon CloudFront',
    kind: 'cdn',
    header: 'x-amz-cf-id',
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html',
  },
  {
    layer: 'Amazon CloudFront',
    kind: 'cdn',
    header: 'via',
    value: /\bcloudfront\b/i,
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html',
  },
  {
    layer: 'Amazon CloudFront',
    kind: 'cdn',
    header: 'x-cache',
    value: /^Error from cloudfront/i,
    note: 'CloudFront itself, or the origin, produced an error response',
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html',
  },
  {
    layer: 'AWS API Gateway',
    kind: 'gateway',
    header: 'x-amzn-errortype',
    note: 'API Gateway produced this error itself (a gateway response)',
    source: 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
  },
  {
    layer: 'AWS API Gateway',
    kind: 'gateway',
    header: 'x-amz-apigw-id',
    source: 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
  },
  {
    layer: 'AWS API Gateway (HTTP API)',
    kind: 'gateway',
    header: 'apigw-requestid',
    source: 'awsdocs/amazon-api-gateway-developer-guide:doc_source/http-api-troubleshooting-jwt.md',
  },
  {
    layer: 'AWS (API Gateway, Lambda)',
    kind: 'gateway',
    header: 'x-amzn-requestid',
    source: 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
  },
  {
    layer: 'AWS WAF',
    kind: 'waf',
    header: 'x-amzn-waf-action',
    note: 'AWS WAF answered with a CAPTCHA or challenge',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-actions.html',
  },
  {
    layer: 'AWS Application Load Balancer',
    kind: 'gateway',
    header: 'server',
    value: /^awselb\//i,
    note: 'the load balancer produced this response itself',
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html',
  },
  {
    layer: 'Amazon S3',
    kind: 'web-server',
    header: 'server',
    value: /^AmazonS3$/i,
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html',
  },
  {
    layer: 'Akamai',
    kind: 'cdn',
    header: 'server',
    value: /^AkamaiGHost/i,
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/kona.py',
  },
  {
    layer: 'Fastly',
    kind: 'cdn',
    header: 'x-served-by',
    value: /^cache-[a-z0-9-]+/i,
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/fastly.py',
  },
  {
    layer: 'Fastly',
    kind: 'cdn',
    header: 'x-fastly-request-id',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/fastly.py',
  },
  {
    layer: 'Imperva Incapsula',
    kind: 'waf',
    header: 'x-iinfo',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/incapsula.py',
  },
  {
    layer: 'Imperva Incapsula',
    kind: 'waf',
    header: 'x-cdn',
    value: /incapsula/i,
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/incapsula.py',
  },
  {
    layer: 'Sucuri Website Firewall',
    kind: 'waf',
    header: 'x-sucuri-id',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/sucuri.py',
  },
  {
    layer: 'Sucuri Website Firewall',
    kind: 'waf',
    header: 'x-sucuri-block',
    note: 'Sucuri blocked this request',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/sucuri.py',
  },
  {
    layer: 'Azure Front Door',
    kind: 'cdn',
    header: 'x-azure-ref',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/frontdoor.py',
  },
  {
    layer: 'Azure Application Gateway',
    kind: 'gateway',
    header: 'server',
    value: /^Microsoft-Azure-Application-Gateway/i,
    note: 'the Application Gateway produced this response itself',
    source:
      'https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/web-application-firewall-troubleshoot',
  },
  {
    layer: 'Google Front End',
    kind: 'cdn',
    header: 'server',
    value: /^Google Frontend$/i,
    source: 'https://cloud.google.com/iap/docs/query-parameters-and-headers-howto',
  },
  {
    layer: 'Google Cloud Identity-Aware Proxy',
    kind: 'identity-proxy',
    header: 'x-goog-iap-generated-response',
    value: /^true$/i,
    note: 'IAP produced this response itself',
    source: 'https://cloud.google.com/iap/docs/query-parameters-and-headers-howto',
  },
  {
    layer: 'Envoy',
    kind: 'gateway',
    header: 'x-envoy-upstream-service-time',
    note: 'the response came from the upstream through Envoy',
    source: ENVOY_ROUTER,
  },
  {
    layer: 'Envoy',
    kind: 'gateway',
    header: 'server',
    value: /^(?:istio-)?envoy$/i,
    source: 'envoyproxy/envoy:source/extensions/filters/http/jwt_authn/filter.cc',
  },
  {
    layer: 'Kong Gateway',
    kind: 'gateway',
    header: 'server',
    value: /^kong\//i,
    note: 'Kong produced this response itself (Server is set on Kong-produced responses)',
    source: KONG_CONF,
  },
  {
    layer: 'Kong Gateway',
    kind: 'gateway',
    header: 'via',
    value: /\bkong\//i,
    note: 'the response was proxied through Kong',
    source: KONG_CONF,
  },
  {
    layer: 'Kong Gateway',
    kind: 'gateway',
    header: 'x-kong-response-latency',
    note: 'Kong produced this response itself (a plugin short-circuited the request)',
    source: KONG_CONF,
  },
  {
    layer: 'Kong Gateway',
    kind: 'gateway',
    header: 'x-kong-upstream-latency',
    note: 'the response came from the upstream through Kong',
    source: KONG_CONF,
  },
  {
    layer: 'nginx',
    kind: 'web-server',
    header: 'server',
    value: /^(?:nginx|openresty)\b/i,
    source: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens',
  },
  {
    layer: 'Apache httpd',
    kind: 'web-server',
    header: 'server',
    value: /^Apache\b/i,
    source: 'https://httpd.apache.org/docs/2.4/mod/core.html#servertokens',
  },
  {
    layer: 'GitHub',
    kind: 'saas-api',
    header: 'x-github-request-id',
    source: 'https://docs.github.com/en/rest',
  },
  {
    layer: 'a cache',
    kind: 'cache',
    header: 'x-cache',
    source: 'https://www.rfc-editor.org/rfc/rfc9111',
  },
  {
    layer: 'a proxy',
    kind: 'proxy',
    header: 'via',
    source: 'https://www.rfc-editor.org/rfc/rfc9110#section-7.6.3',
  },
];

export interface LayerHint {
  layer: string;
  kind: LayerRule['kind'];
  /** The header (lower case) and value that name it. */
  header: string;
  value: string;
  note?: string;
}

/**
 * The layers the response names in its headers alone (Server, Via, X-Cache, CF-Ray …), first
 * mention first, one hint per layer. Context only: a header says a layer was on the path, not
 * that it produced the refusal (Kong's `Via`, Envoy's `x-envoy-upstream-service-time` even say
 * it did not).
 */
export function identifyLayer(headers: HeaderList): LayerHint[] {
  const out: LayerHint[] = [];
  for (const rule of LAYER_RULES) {
    const value = headerValues(headers, rule.header).find((v) => !rule.value || rule.value.test(v));
    if (value === undefined) continue;
    // The generic "a proxy" and "a cache" only when nothing more specific named the same header.
    if (rule.kind === 'proxy' || rule.kind === 'cache') {
      if (out.some((h) => h.header === rule.header)) continue;
    }
    const hint: LayerHint = { layer: rule.layer, kind: rule.kind, header: rule.header, value };
    if (rule.note) hint.note = rule.note;
    const same = out.find((h) => h.layer === hint.layer);
    if (!same) out.push(hint);
    else if (hint.note && !same.note) Object.assign(same, { header: hint.header, value, note: hint.note });
  }
  return out;
}
