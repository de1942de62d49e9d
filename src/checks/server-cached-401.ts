import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValue, headerValues, type HeaderList } from '../model/http.js';
import { defineCheck } from './check.js';
import { responseHeader, responseStatus } from './cite.js';

/**
 * The 401/403 came out of a cache (a CDN, a reverse proxy, a service worker), not from the
 * application now: fixing the credentials changes nothing until the cached error expires.
 * Also warns when the refusal is cacheable by its own headers (RFC 9111 §3, §3.5), which is how
 * one anonymous request poisons a shared cache for everyone.
 */

/** Cache-status headers whose value says whether the response was served from the cache. */
const STATUS_HEADERS: Array<{ name: string; cache: string; hit: RegExp }> = [
  // Fastly, Varnish, CloudFront ("Hit from cloudfront", "RefreshHit from cloudfront"), Akamai ("TCP_HIT from …").
  { name: 'x-cache', cache: 'a CDN or proxy cache', hit: /\bHIT\b|_HIT\b|RefreshHit\b/i },
  { name: 'cf-cache-status', cache: 'Cloudflare', hit: /^\s*(?:HIT|STALE|UPDATING)\b/i },
  // nginx `$upstream_cache_status`, as commonly exposed.
  { name: 'x-cache-status', cache: 'nginx proxy_cache', hit: /^\s*(?:HIT|STALE|UPDATING)\b/i },
  { name: 'x-proxy-cache', cache: 'a proxy cache', hit: /^\s*HIT\b/i },
  { name: 'x-vercel-cache', cache: 'Vercel', hit: /^\s*(?:HIT|STALE)\b/i },
];
const MISS = /\b(?:MISS|BYPASS|DYNAMIC|EXPIRED|PASS)\b/i;

/** RFC 9211 Cache-Status: `cache-name; hit`, one member per cache, the last the closest to the client. */
function cacheStatusHit(values: string[]): string | undefined {
  for (const member of values.join(',').split(',')) {
    const [name, ...params] = member.split(';').map((s) => s.trim());
    if (name && params.some((p) => p.toLowerCase() === 'hit')) return name.replace(/^"|"$/g, '');
  }
  return undefined;
}

/** A cache named in Via (RFC 9110 §7.6.3): `1.1 varnish`, `1.1 abc.cloudfront.net (CloudFront)`, `1.1 squid`. */
function viaCache(values: string[]): string | undefined {
  const v = values.join(', ');
  const m = /\b(varnish|squid|cloudfront|akamai|fastly|nginx|apache traffic server|ats|cache[\w.-]*)\b/i.exec(
    v,
  );
  return m ? v : undefined;
}

function directives(headers: HeaderList): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const part of headerValues(headers, 'cache-control').join(',').split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k) out.set(k.toLowerCase(), v?.replace(/^"|"$/g, ''));
  }
  return out;
}

/** Why the response may be stored by a shared cache, by its own headers; undefined when it may not. */
function cacheableBecause(headers: HeaderList): { why: string; value: string; header: string } | undefined {
  const cc = directives(headers);
  const ccValue = headerValues(headers, 'cache-control').join(', ');
  if (cc.has('no-store') || cc.has('private') || cc.has('no-cache')) return undefined;
  const positive = (k: string) => {
    const n = Number(cc.get(k));
    return cc.has(k) && Number.isFinite(n) && n > 0;
  };
  if (positive('s-maxage'))
    return {
      why: `s-maxage=${cc.get('s-maxage')} lets shared caches keep it`,
      value: ccValue,
      header: 'cache-control',
    };
  if (cc.has('public'))
    return { why: '`public` lets any cache keep it', value: ccValue, header: 'cache-control' };
  if (positive('max-age'))
    return {
      why: `max-age=${cc.get('max-age')} gives it a lifetime`,
      value: ccValue,
      header: 'cache-control',
    };
  if (cc.has('max-age')) return undefined; // max-age=0: stale at once
  const expires = headerValue(headers, 'expires');
  const date = headerValue(headers, 'date');
  if (expires && date) {
    const e = Date.parse(expires);
    const d = Date.parse(date);
    if (Number.isFinite(e) && Number.isFinite(d) && e > d)
      return { why: 'Expires lies after Date, which gives it a lifetime', value: expires, header: 'expires' };
  }
  return undefined;
}

function hitOf(x: Exchange): { cache: string; evidence: EvidenceItem[] } | undefined {
  const h = x.response!.headers;
  for (const s of STATUS_HEADERS) {
    const v = headerValues(h, s.name).find((v) => s.hit.test(v));
    if (v === undefined) continue;
    const cache =
      s.name === 'x-cache' && headerValue(h, 'x-served-by')?.startsWith('cache-') ? 'Fastly' : s.cache;
    const evidence = [responseHeader(x, s.name, v)];
    const servedBy = headerValue(h, 'x-served-by');
    if (cache === 'Fastly' && servedBy) evidence.push(responseHeader(x, 'x-served-by', servedBy));
    return { cache, evidence };
  }
  const cs = headerValues(h, 'cache-status');
  const name = cacheStatusHit(cs);
  if (name !== undefined)
    return { cache: name || 'a cache', evidence: [responseHeader(x, 'cache-status', cs.join(', '))] };
  return undefined;
}

export default defineCheck(
  {
    id: 'server.cached-401',
    plain: 'The refusal came from a stored copy (a cache), not from the site itself',
    directness: 0,
    absorbs: ['credentials.rejected', 'credentials.not-received'],
    step: 4,
    kind: 'cause',
    title: 'The refusal came from a cache, not from the application',
    fix: 'Purge the cached error and make the server send `Cache-Control: no-store` on 401 and 403 (and `private` on answers to authenticated requests); until then, retry with a cache-busting query parameter to reach the application.',
    ref: 'RFC 9111 §3, §3.5, §5.1 (Age); RFC 9211 (Cache-Status)',
  },
  (f) => {
    const x = f.final;
    const r = f.response;
    if (!x || !r || (r.status !== 401 && r.status !== 403)) return;
    const h = r.headers;
    const cacheable = cacheableBecause(h);
    const also = cacheable ? ` It is cacheable by its own headers: ${cacheable.why}.` : '';
    const ageValue = headerValue(h, 'age');
    const age = ageValue !== undefined ? Number.parseInt(ageValue, 10) : NaN;

    const hit = hitOf(x);
    if (hit) {
      const evidence = [responseStatus(x), ...hit.evidence];
      if (ageValue !== undefined) evidence.push(responseHeader(x, 'age', ageValue));
      return {
        confidence: 'confirmed',
        title: `The ${r.status} was served from a cache (${hit.cache}), not by the application`,
        detail: `${hit.evidence.map((e) => `${e.where.replace('response.header.', '')}: ${e.value}`).join('; ')}${Number.isFinite(age) ? `; Age: ${age} s` : ''}. A cached refusal is replayed whatever credentials the request carries.${also}`,
        evidence,
      };
    }

    const explicitMiss = STATUS_HEADERS.some((s) => headerValues(h, s.name).some((v) => MISS.test(v)));
    if (Number.isFinite(age) && age > 0 && !explicitMiss) {
      const via = viaCache(headerValues(h, 'via'));
      const evidence = [responseStatus(x), responseHeader(x, 'age', ageValue!)];
      if (via) evidence.push(responseHeader(x, 'via', via));
      return {
        confidence: 'likely',
        title: `The ${r.status} is ${age} s old: it most likely came from a cache`,
        detail: `Age: ${age} means a cache held this answer for ${age} s before serving it${via ? ` (Via: ${via})` : ''}; the application did not refuse this request just now.${also}`,
        evidence,
      };
    }

    if (cacheable) {
      return {
        kind: 'warning',
        confidence: 'possible',
        title: `The ${r.status} may be stored by caches: ${cacheable.why}`,
        detail: `A refusal that caches may keep can be replayed to later requests, even ones with valid credentials (RFC 9111 §3; §3.5 lets shared caches reuse answers to authenticated requests when they are public or carry s-maxage).`,
        fix: 'Send `Cache-Control: no-store` on 401 and 403 responses.',
        evidence: [responseStatus(x), responseHeader(x, cacheable.header, cacheable.value)],
      };
    }
    return;
  },
);
