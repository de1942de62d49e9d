import { CookieJar, domainMatch, pathMatch, type Cookie } from 'tough-cookie';
import { fpOf } from './tokens.js';
import type { JarCookie } from '../model/evidence.js';
import { hostnameOf, isSecureUrl, tryUrl } from '../parse/url.js';
import { siteOf } from '../parse/site.js';

/**
 * The session's cookies replayed from its Set-Cookie history through tough-cookie's CookieJar (it
 * decides what a browser stores: domain, public suffix, Secure, prefixes, SameSite on a cross-site
 * response), and, for each request, which rule kept a cookie out (tough-cookie only filters; the
 * reasons are rebuilt from its primitives). The jar's own clock is never used: every time is the
 * capture's. tough-cookie and its one dependency (tldts) are plain ES modules with no Node-only
 * imports, so this runs in a browser too.
 */

export type SameSite = 'strict' | 'lax' | 'none';

/** A cookie the browser holds, with where it came from. Its value stays in memory; outputs use `fp`. */
export interface HeldCookie {
  name: string;
  value: string;
  /** sha256 of the value (hex), to tell values apart without showing them. */
  fp: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** undefined: no SameSite attribute (Chromium treats it as Lax). */
  sameSite?: SameSite;
  partitioned: boolean;
  /** The top-level site it was set under, for a partitioned (CHIPS) cookie. */
  partitionSite?: string;
  /** Epoch ms; undefined for a session cookie; -Infinity for Max-Age ≤ 0. */
  expiresAt?: number;
  /** When the Set-Cookie that put it there arrived, and in which entry. */
  setAt: number;
  setBy: number;
  /** The Set-Cookie line without its value: `sid=…; Path=/; SameSite=Strict`. */
  attributes: string;
  /** The Set-Cookie removed the cookie (an expiry at or before its own arrival: a sign-out). */
  cleared: boolean;
  /** For a clearing Set-Cookie: the cookie it removed. */
  replaced?: HeldCookie;
}

/** A Set-Cookie the browser refused to store, with the reason. */
export interface RejectedCookie {
  name: string;
  setBy: number;
  setAt: number;
  url: string;
  attributes: string;
  reason: string;
}

/** The request a cookie is judged for. */
export interface CookieRequest {
  url: string;
  method: string;
  at: number;
  /** The request is cross-site to the page that made it; undefined when unknown. */
  crossSite?: boolean;
  /** A top-level navigation (SameSite=Lax cookies go along on a safe one). */
  navigation: boolean;
  /** The top-level site (for partitioned cookies). */
  topSite?: string;
}

export type CookieRule = 'cleared' | 'expired' | 'domain' | 'path' | 'secure' | 'samesite' | 'partitioned';

export type SendVerdict = { send: true } | { send: false; rule: CookieRule; why: string };

const LAX_POST_GRACE_MS = 2 * 60 * 1000;

function attributesOf(line: string): string {
  const semi = line.indexOf(';');
  const first = semi < 0 ? line : line.slice(0, semi);
  const eq = first.indexOf('=');
  const name = eq < 0 ? '' : first.slice(0, eq).trim();
  return `${name}=…${semi < 0 ? '' : line.slice(semi)}`.trim();
}

function nameOf(line: string): string {
  const first = line.split(';')[0] ?? '';
  const eq = first.indexOf('=');
  return (eq < 0 ? '' : first.slice(0, eq)).trim();
}

function sameSiteOf(c: Cookie): SameSite | undefined {
  const s = typeof c.sameSite === 'string' ? c.sameSite.toLowerCase() : undefined;
  return s === 'strict' || s === 'lax' || s === 'none' ? s : undefined;
}

function expiryOf(c: Cookie, at: number): number | undefined {
  if (typeof c.maxAge === 'number') return c.maxAge <= 0 ? -Infinity : at + c.maxAge * 1000;
  if (c.maxAge === '-Infinity') return -Infinity;
  if (c.maxAge === 'Infinity') return undefined;
  if (c.expires instanceof Date) return c.expires.getTime();
  return undefined;
}

function key(domain: string, path: string, name: string): string {
  return `${domain};${path};${name}`;
}

/** The key a cookie is held under (its domain, path and name): the one `apply` returns. */
export function cookieKey(c: Pick<HeldCookie, 'domain' | 'path' | 'name'>): string {
  return key(c.domain, c.path, c.name);
}

function hostOf(url: string): string {
  return hostnameOf(url)?.toLowerCase() ?? '';
}

function pathnameOf(url: string): string {
  return tryUrl(url)?.pathname || '/';
}

/** What the Set-Cookie's response was, for storing rules. */
export interface SetContext {
  crossSite?: boolean;
  navigation: boolean;
  topSite?: string;
  /** Chromium rules: no SameSite means Lax, SameSite=None needs Secure. */
  chromium: boolean;
}

/**
 * Bounds for a long session: browsers hold a few thousand cookies at most (Chromium: 3,300, 180
 * per domain), and a story needs the first refusals and removals, not the ten-thousandth.
 */
export const MAX_HELD_COOKIES = 1000;
export const MAX_COOKIE_EVENTS = 200;

function newJar(): CookieJar {
  return new CookieJar(undefined, { prefixSecurity: 'strict', allowSpecialUseDomain: true });
}

export class CookieReplay {
  /**
   * Only decides what a browser would store (the cookies themselves live in `held`), so it starts
   * afresh now and then: with `http: true` nothing it already holds changes that decision.
   */
  private jar = newJar();
  private stored = 0;
  private readonly held = new Map<string, HeldCookie>();
  /** The first MAX_COOKIE_EVENTS Set-Cookie headers the browser refused. */
  readonly rejected: RejectedCookie[] = [];
  /** Every Set-Cookie that removed a cookie the browser held, in order (the first MAX_COOKIE_EVENTS). */
  readonly clearings: HeldCookie[] = [];

  /** Every cookie now in the jar, cleared and expired ones included (they explain absences). */
  snapshot(): HeldCookie[] {
    return [...this.held.values()];
  }

  /**
   * Stores the Set-Cookie lines of one response, as the browser would have at time `at`. Returns
   * the keys (`cookieKey`) of the cookies it stored.
   */
  apply(index: number, url: string, lines: string[], at: number, ctx: SetContext): string[] {
    const stored: string[] = [];
    for (const line of lines) {
      const name = nameOf(line);
      const attributes = attributesOf(line);
      const reject = (reason: string) => {
        if (this.rejected.length < MAX_COOKIE_EVENTS)
          this.rejected.push({ name, setBy: index, setAt: at, url, attributes, reason });
      };
      let cookie: Cookie | undefined;
      try {
        const sameSiteContext =
          ctx.crossSite === undefined
            ? undefined
            : ctx.crossSite
              ? ctx.navigation
                ? 'lax'
                : 'none'
              : 'strict';
        if (++this.stored > MAX_HELD_COOKIES) {
          this.jar = newJar();
          this.stored = 1;
        }
        cookie = this.jar.setCookieSync(line, url, {
          now: new Date(at),
          ignoreError: false,
          http: true,
          loose: true,
          sameSiteContext,
        });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        reject(
          /SameSite/.test(msg)
            ? `it has SameSite=${/samesite\s*=\s*strict/i.test(line) ? 'Strict' : 'Lax'} and came from a cross-site response that was not a top-level navigation`
            : msg,
        );
        continue;
      }
      if (!cookie) {
        reject('it does not parse, or breaks a __Host-/__Secure- prefix rule');
        continue;
      }
      const sameSite = sameSiteOf(cookie);
      if (ctx.chromium && sameSite === 'none' && !cookie.secure) {
        reject('it has SameSite=None without Secure, which Chromium refuses');
        continue;
      }
      if (ctx.chromium && sameSite === undefined && ctx.crossSite === true && !ctx.navigation) {
        reject(
          'it has no SameSite attribute, so Chromium treats it as SameSite=Lax, and it came from a cross-site response that was not a top-level navigation',
        );
        continue;
      }
      const expiresAt = expiryOf(cookie, at);
      const domain = (cookie.domain ?? hostOf(url)).toLowerCase();
      const path = cookie.path ?? '/';
      const partitioned = (cookie.extensions ?? []).some((x) => x.toLowerCase() === 'partitioned');
      const k = key(domain, path, cookie.key);
      const held: HeldCookie = {
        name: cookie.key,
        value: cookie.value,
        fp: fpOf(cookie.value),
        domain,
        hostOnly: cookie.hostOnly === true,
        path,
        secure: cookie.secure,
        httpOnly: cookie.httpOnly,
        partitioned,
        setAt: at,
        setBy: index,
        attributes,
        cleared: expiresAt !== undefined && expiresAt <= at,
      };
      if (sameSite) held.sameSite = sameSite;
      if (expiresAt !== undefined) held.expiresAt = expiresAt;
      if (partitioned && ctx.topSite) held.partitionSite = ctx.topSite;
      const before = this.held.get(k);
      if (held.cleared) {
        if (before && !before.cleared) {
          held.replaced = before;
          if (this.clearings.length < MAX_COOKIE_EVENTS) this.clearings.push(held);
        } else if (before?.cleared && before.replaced) held.replaced = before.replaced;
      }
      // A cookie set again keeps its place; past the bound, the one first set goes.
      this.held.set(k, held);
      stored.push(k);
      if (this.held.size > MAX_HELD_COOKIES) this.held.delete(this.held.keys().next().value!);
    }
    return stored;
  }
}

/** Why a held cookie would not go with this request, rule by rule (RFC 6265bis §5.8.3, Chromium's SameSite). */
export function explainCookie(c: HeldCookie, req: CookieRequest, chromium = true): SendVerdict {
  const host = hostOf(req.url);
  if (c.hostOnly ? host !== c.domain : !domainMatch(host, c.domain, true))
    return {
      send: false,
      rule: 'domain',
      why: c.hostOnly
        ? `it is a host-only cookie of ${c.domain} (set without Domain=), and the request went to ${host}`
        : `its Domain=${c.domain} does not cover ${host}`,
    };
  const path = pathnameOf(req.url);
  if (!pathMatch(path, c.path))
    return { send: false, rule: 'path', why: `its Path=${c.path} does not cover ${path}` };
  if (c.cleared) return { send: false, rule: 'cleared', why: `the server removed it (entry ${c.setBy})` };
  if (c.expiresAt !== undefined && c.expiresAt <= req.at)
    return { send: false, rule: 'expired', why: `it expired at ${new Date(c.expiresAt).toISOString()}` };
  if (c.secure && !isSecureUrl(req.url))
    return { send: false, rule: 'secure', why: 'it is Secure, and the request went over plain http' };
  if (req.crossSite === true) {
    const safe = ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(req.method.toUpperCase());
    if (c.sameSite === 'strict')
      return { send: false, rule: 'samesite', why: 'it is SameSite=Strict, and the request was cross-site' };
    if (c.sameSite === 'lax' && !(req.navigation && safe))
      return {
        send: false,
        rule: 'samesite',
        why: `it is SameSite=Lax, and the request was a cross-site ${req.navigation ? `${req.method} navigation` : 'subresource request (fetch/XHR)'}`,
      };
    if (c.sameSite === undefined && chromium) {
      const grace =
        req.navigation && req.method.toUpperCase() === 'POST' && req.at - c.setAt < LAX_POST_GRACE_MS;
      if (!(req.navigation && safe) && !grace)
        return {
          send: false,
          rule: 'samesite',
          why: 'it has no SameSite attribute, so Chromium treats it as SameSite=Lax, and the request was cross-site and not a top-level navigation',
        };
    }
    if (c.partitioned && c.partitionSite && req.topSite && c.partitionSite !== req.topSite)
      return {
        send: false,
        rule: 'partitioned',
        why: `it is Partitioned (CHIPS) under ${c.partitionSite}, and this request was made under ${req.topSite}`,
      };
  }
  return { send: true };
}

/** The cookies as a Netscape jar (curl -b), the way the per-entry `session.cookie-expired` check reads them. */
export function asJarCookies(held: HeldCookie[]): JarCookie[] {
  return held
    .filter((c) => !c.cleared)
    .map((c) => ({
      domain: c.domain,
      includeSubdomains: !c.hostOnly,
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly,
      expires:
        c.expiresAt === undefined || !Number.isFinite(c.expiresAt) ? 0 : Math.floor(c.expiresAt / 1000),
      name: c.name,
      value: c.value,
    }));
}

/** Whether a cookie belongs to the same site as a URL (its domain's registrable domain is the URL's). */
export function sameSiteCookie(c: HeldCookie, url: string): boolean {
  const a = siteOf(`http://${c.domain.replace(/^\./, '')}/`)?.replace(/^http:/, '');
  const b = siteOf(url)?.replace(/^[a-z]+:/, '');
  return a !== undefined && a === b;
}

/** Names that say "session" (or a token held in a cookie). */
export const SESSION_COOKIE =
  /sess|^sid$|sid$|auth|token|jwt|login|identity|^connect\.sid$|^_?session|user|remember|^__host-|^__secure-|laravel|phpsessid|jsessionid|asp\.net|\.aspnetcore/i;
