import { alreadySanitized, type SanitizeContext } from './sanitize-context.js';
import {
  contextualIsSecret,
  headerRule,
  isOAuthContext,
  kindForName,
  secretName,
} from '../knowledge/credential-rule.js';
import {
  formDecode,
  sanitizeAuthorization,
  sanitizeBasic,
  sanitizeCredential,
  sanitizeJwt,
  sanitizeParam,
} from './sanitize-values.js';
import { sanitizeCookieHeader, sanitizeSetCookie } from './sanitize-cookies.js';

/**
 * Text that holds secrets by structure: URLs (userinfo, query, fragment, `;jsessionid=`), form
 * and multipart bodies, JSON (rewritten in place: only the secret strings change, every other
 * byte stays), HTML (form_post pages, hidden inputs, csrf meta tags), and free text (JWTs,
 * `Bearer …`, `name=value` pairs, and every secret learned elsewhere in the file).
 */

function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  return formDecode(eq < 0 ? pair : pair.slice(0, eq)).replace(/^amp;/i, '');
}

/** `a=1&code=…&state=…` (a query without its `?`, a fragment, a form body). */
export function sanitizeQueryString(qs: string, where: 'query' | 'form', ctx: SanitizeContext): string {
  if (qs === '') return qs;
  const pairs = qs.split('&');
  const oauth = isOAuthContext(pairs.map(paramName));
  return pairs
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) {
        const jwt = sanitizeJwt(pair, ctx);
        return jwt ?? pair;
      }
      const name = pair.slice(0, eq);
      const raw = pair.slice(eq + 1);
      let value = sanitizeParam(formDecode(name), raw, oauth, where, true, ctx);
      if (value === raw) {
        // A URL inside a parameter (continue=, redirect_uri=, RelayState=) carries its own query.
        const decoded = formDecode(raw);
        if (decoded !== raw && /[=#]|eyJ/.test(decoded)) {
          const inner = scrubText(decoded, ctx);
          if (inner !== decoded) value = encodeURIComponent(inner);
        }
      }
      return `${name}=${value}`;
    })
    .join('&');
}

const SESSION_PATH_PARAM = /;(jsessionid|phpsessid|sessionid|sid)=([^;/?#]*)/gi;

/**
 * A URL, absolute or not (`:path` pseudo-headers are path and query only): the password in its
 * userinfo, secret query and fragment parameters (an implicit-flow `#access_token=`), session ids
 * in the path, and JWTs anywhere in it.
 */
export function sanitizeUrl(url: string, ctx: SanitizeContext): string {
  if (!url) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  let rest = url.slice(scheme.length);
  let authority = '';
  if (scheme) {
    const end = rest.search(/[/?#]/);
    authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      if (colon >= 0) {
        const pass = info.slice(colon + 1);
        const decoded = formDecode(pass);
        if (pass !== '' && !alreadySanitized(decoded)) {
          const out = encodeURIComponent(sanitizeCredential(decoded, 'password', ctx));
          if (pass !== decoded) ctx.alias(pass, out);
          authority = `${info.slice(0, colon)}:${out}${authority.slice(at)}`;
        }
      }
    }
  }
  const hash = rest.indexOf('#');
  let fragment = hash < 0 ? '' : rest.slice(hash);
  rest = hash < 0 ? rest : rest.slice(0, hash);
  const q = rest.indexOf('?');
  let path = q < 0 ? rest : rest.slice(0, q);
  let query = q < 0 ? '' : rest.slice(q);
  path = path.replace(
    SESSION_PATH_PARAM,
    (all, name: string, v: string) => `;${name}=${sanitizeCredential(v, 'session', ctx, 'weak')}`,
  );
  path = replaceJwts(path, ctx);
  if (query) query = `?${sanitizeQueryString(query.slice(1), 'query', ctx)}`;
  if (fragment.includes('=')) {
    // "#/callback?code=…" (a single-page app's route) or "#access_token=…" (implicit flow).
    const inner = fragment.indexOf('?');
    fragment =
      inner >= 0
        ? fragment.slice(0, inner + 1) + sanitizeQueryString(fragment.slice(inner + 1), 'query', ctx)
        : `#${sanitizeQueryString(fragment.slice(1), 'query', ctx)}`;
  } else if (fragment) {
    fragment = replaceJwts(fragment, ctx);
  }
  return ctx.replaceKnown(scheme + authority + path + query + fragment);
}

const JWE_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const JWS_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

function replaceJwts(text: string, ctx: SanitizeContext): string {
  if (!text.includes('eyJ')) return text;
  return text
    .replace(JWE_SHAPE, (m) => sanitizeJwt(m, ctx) ?? m)
    .replace(JWS_SHAPE, (m) => sanitizeJwt(m, ctx) ?? m);
}

/** What to do with a JSON string value under `key`. */
function jsonValue(key: string | undefined, value: string, oauth: boolean, ctx: SanitizeContext): string {
  if (value === '' || alreadySanitized(value)) return value;
  if (key !== undefined) {
    const rule = headerRule(key);
    // An echo server's {"headers": {"Authorization": …, "Cookie": …}}.
    if (rule === 'authorization') return sanitizeAuthorization(value, ctx);
    if (rule === 'cookie') return sanitizeCookieHeader(value, ctx);
    if (rule === 'set-cookie') return sanitizeSetCookie(value, ctx);
    const verdict = secretName(key, 'json');
    if (verdict === 'secret' || (verdict === 'contextual' && contextualIsSecret(value, oauth)))
      return sanitizeCredential(value, kindForName(key), ctx);
  }
  // Not secret by name: JSON of its own (a GraphQL variable, a logged body) is walked too; JWTs,
  // URLs with codes and known secrets in the rest are left to the pass over the whole text.
  const t = value.length >= 8 ? value.trimStart() : '';
  if (t.startsWith('{') || t.startsWith('[')) {
    const inner = sanitizeJsonText(value, ctx);
    if (inner !== undefined && inner !== value) return inner;
  }
  return value;
}

interface Frame {
  array: boolean;
  key: string | undefined;
  expectKey: boolean;
}

const JSON_OAUTH_HINT =
  /"(?:grant_type|redirect_uri|client_id|code_verifier|session_state|response_type|id_token|access_token)"\s*:/;

/**
 * JSON rewritten in place: a tolerant scanner walks the text (a truncated body too), and only
 * the string tokens to replace are re-encoded; whitespace, key order, number formats and escapes
 * elsewhere stay byte for byte. Undefined when the text is not JSON at all.
 */
export function sanitizeJsonText(text: string, ctx: SanitizeContext): string | undefined {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  const oauth = JSON_OAUTH_HINT.test(text);
  const stack: Frame[] = [];
  let out = '';
  let last = 0;
  let i = start;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // The closing quote: the next one not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) break;
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      if (j < 0) break; // unterminated: a truncated body ends here
      const top = stack.at(-1);
      let decoded: string | undefined = text.slice(i + 1, j);
      if (decoded.includes('\\')) {
        try {
          decoded = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          decoded = undefined;
        }
      }
      if (top && !top.array && top.expectKey) {
        top.key = decoded;
        top.expectKey = false;
      } else if (decoded !== undefined) {
        const key = top?.key;
        const next = jsonValue(key, decoded, oauth, ctx);
        if (next !== decoded) {
          out += text.slice(last, i) + JSON.stringify(next);
          last = j + 1;
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */) stack.push({ array: false, key: undefined, expectKey: true });
    else if (c === 0x5b /* [ */) stack.push({ array: true, key: stack.at(-1)?.key, expectKey: false });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top && !top.array) {
        top.expectKey = true;
        top.key = undefined;
      }
    } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      // A PIN or OTP written as a number.
      const m = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const num = m.exec(text)?.[0] ?? text[i]!;
      const top = stack.at(-1);
      if (top && !top.array && top.key !== undefined) {
        const v = secretName(top.key, 'json');
        if (v === 'secret' && kindForName(top.key) !== 'token' && num.length >= 4) {
          out += text.slice(last, i) + JSON.stringify(ctx.standIn(num, kindForName(top.key)));
          last = i + num.length;
        }
      }
      i += num.length;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** multipart/form-data: the values of secret fields replaced, part headers and files kept. */
export function sanitizeMultipart(text: string, boundary: string | undefined, ctx: SanitizeContext): string {
  const b = boundary ?? /^--([^\r\n]+)\r?\n/.exec(text)?.[1];
  if (!b) return text;
  const delim = `--${b}`;
  const pieces = text.split(delim);
  const names = pieces.map((p) => /\bname="([^"]*)"/i.exec(p)?.[1] ?? '');
  const oauth = isOAuthContext(names);
  return pieces
    .map((piece, k) => {
      const name = names[k];
      if (!name || /\bfilename=/i.test(piece.split(/\r?\n\r?\n/)[0] ?? '')) return piece;
      const m = /^([\s\S]*?\r?\n\r?\n)([\s\S]*?)(\r?\n)?$/.exec(piece);
      if (!m) return piece;
      const value = m[2] ?? '';
      const v = secretName(name, 'form');
      if (v === 'secret' || (v === 'contextual' && contextualIsSecret(value, oauth))) {
        const next = sanitizeCredential(value, kindForName(name), ctx);
        if (next !== value) return m[1] + next + (m[3] ?? '');
      }
      return piece;
    })
    .join(delim);
}

const HTML_TAG = /<(input|meta)\b[^>]*>/gi;
const HTML_ATTR = /(\s)(name|value|type|content|id|property)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)/gi;

function unquote(v: string): string {
  return /^["']/.test(v) ? v.slice(1, -1) : v;
}

function htmlDecode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * `<input type="hidden" name="code" value="…">` (an OAuth form_post or SAML POST page),
 * `<input type="password" value="…">`, `<meta name="csrf-token" content="…">`.
 */
function sanitizeHtmlFields(text: string, ctx: SanitizeContext): string {
  if (!/<(?:input|meta)\b/i.test(text)) return text;
  return text.replace(HTML_TAG, (tag: string, el: string) => {
    const attrs: Record<string, string> = {};
    for (const m of tag.matchAll(HTML_ATTR)) attrs[m[2]!.toLowerCase()] ??= htmlDecode(unquote(m[4]!));
    const isMeta = el.toLowerCase() === 'meta';
    const name = isMeta ? (attrs['name'] ?? attrs['property']) : (attrs['name'] ?? attrs['id']);
    const field = isMeta ? 'content' : 'value';
    const value = attrs[field];
    if (value === undefined || value === '' || alreadySanitized(value)) return tag;
    const verdict = name === undefined ? 'no' : secretName(name, 'html');
    const secret =
      attrs['type']?.toLowerCase() === 'password' ||
      verdict === 'secret' ||
      // Inside a page, a hidden "code" or "state" is a form_post response.
      (verdict === 'contextual' &&
        (attrs['type']?.toLowerCase() === 'hidden' || contextualIsSecret(value, false)));
    if (!secret) return tag;
    const next = sanitizeCredential(value, name ? kindForName(name) : 'password', ctx);
    if (next === value) return tag;
    return tag.replace(HTML_ATTR, (all, sp: string, attr: string, eq: string, v: string) => {
      if (attr.toLowerCase() !== field) return all;
      const q = /^["']/.test(v) ? v[0]! : '';
      return `${sp}${attr}${eq}${q}${next}${q}`;
    });
  });
}

const PARAM_NAMES_IN_TEXT = /[?&#;]([A-Za-z_]{2,40})=/g;
const JS_VALUE_IN_TEXT = /:(\s*)'([^'\\\n]{4,4096})'/g;
/** In free text, a lower-case word ('include', 'same-origin', 'required') is code or prose, not a secret. */
const PLAIN_WORD = /^[a-z]{1,16}(?:-[a-z]{1,16})*$/;
const SCHEME_TOKEN_IN_TEXT =
  /\b(Bearer|DPoP|Token|Basic|Negotiate|NTLM)([ \t]+)([A-Za-z0-9\-._~+/]{16,}=*)/gi;
const USERINFO_IN_TEXT = /:\/\/([^\s/@:"'<>]+):([^\s/@"'<>]+)@/g;

/** [A-Za-z0-9_.-[]]: a parameter name's characters. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d ||
    c === 0x5b ||
    c === 0x5d
  );
}

/** What may stand before a `name=value` pair: start, ? & # ; quote ( , or whitespace. */
function isPairStart(c: number): boolean {
  return (
    c === 0x3f ||
    c === 0x26 ||
    c === 0x23 ||
    c === 0x3b ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x28 ||
    c === 0x2c ||
    c <= 0x20
  );
}

/** What ends a value: & # quote < > ; , ) \ or whitespace. */
function isValueEnd(c: number): boolean {
  return (
    c === 0x26 ||
    c === 0x23 ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x3b ||
    c === 0x2c ||
    c === 0x29 ||
    c === 0x5c ||
    c <= 0x20
  );
}

/**
 * `name=value` pairs anywhere in text (URLs in HTML or scripts, form bodies, log lines): a scan
 * from one `=` to the next, so big bodies cost one pass.
 */
function scrubPairs(text: string, ctx: SanitizeContext): string {
  let out = '';
  let last = 0;
  let oauth: boolean | undefined;
  const n = text.length;
  let i = text.indexOf('=');
  while (i >= 0) {
    let s = i;
    while (s > 0 && i - s < 80 && isNameChar(text.charCodeAt(s - 1))) s--;
    let e = i + 1;
    if (s < i && (s === 0 || isPairStart(text.charCodeAt(s - 1)))) {
      while (e < n && !isValueEnd(text.charCodeAt(e))) e++;
      const name = text.slice(s, i);
      const value = text.slice(i + 1, e);
      if (value !== '' && (secretName(name, 'query') !== 'no' || value.includes('eyJ'))) {
        oauth ??= isOAuthContext(Array.from(text.matchAll(PARAM_NAMES_IN_TEXT), (m) => m[1]!));
        const next = sanitizeParam(formDecode(name), value, oauth, 'query', true, ctx);
        if (next !== value) {
          out += text.slice(last, i + 1) + next;
          last = e;
        }
      }
    }
    i = text.indexOf('=', Math.max(e, i + 1));
  }
  return last === 0 ? text : out + text.slice(last);
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x24
  );
}

/**
 * `"key": "value"` pairs inside text that is not JSON as a whole (JSON in a script, in a log line,
 * in a truncated body): found from each `:`, judged by the key.
 */
function scrubJsonPairs(text: string, ctx: SanitizeContext): string {
  let out = '';
  let last = 0;
  let oauth: boolean | undefined;
  const n = text.length;
  let i = text.indexOf(':');
  while (i >= 0) {
    let next = i + 1;
    let q = i - 1;
    while (q >= 0 && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q--;
    if (q > 0 && text.charCodeAt(q) === 0x22) {
      let k = q;
      while (k > 0 && q - k < 64 && isKeyChar(text.charCodeAt(k - 1))) k--;
      if (k < q && k > 0 && text.charCodeAt(k - 1) === 0x22) {
        const key = text.slice(k, q);
        let v = i + 1;
        while (v < n && (text.charCodeAt(v) === 0x20 || text.charCodeAt(v) === 0x09)) v++;
        if (
          v < n &&
          text.charCodeAt(v) === 0x22 &&
          (secretName(key, 'json') !== 'no' || headerRule(key) !== 'no')
        ) {
          let e = v + 1;
          while (e < n && e - v < 20_000) {
            const c = text.charCodeAt(e);
            if (c === 0x5c) e += 2;
            else if (c === 0x22 || c === 0x0a) break;
            else e++;
          }
          if (e < n && text.charCodeAt(e) === 0x22) {
            let value: string | undefined;
            try {
              value = JSON.parse(text.slice(v, e + 1)) as string;
            } catch {
              value = undefined;
            }
            if (value !== undefined && value !== '' && !PLAIN_WORD.test(value)) {
              oauth ??= JSON_OAUTH_HINT.test(text);
              const replaced = jsonValue(key, value, oauth, ctx);
              if (replaced !== value) {
                out += text.slice(last, v) + JSON.stringify(replaced);
                last = e + 1;
              }
            }
            next = e + 1;
          }
        }
      }
    }
    i = text.indexOf(':', next);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** The identifier just before `at` (spaces skipped): the key of a JavaScript `key: 'value'`. */
function identifierBefore(text: string, at: number): string {
  let e = at;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  let s = e;
  while (s > 0 && e - s < 64 && /[\w$]/.test(text[s - 1]!)) s--;
  return text.slice(s, e);
}

/**
 * Free text (an HTML page, a script, a log line, a header we know nothing about): JWTs,
 * credentials in URLs, `name=value` pairs with secret names, JSON-like pairs, form fields,
 * `Bearer …`, and every secret already learned in the file.
 */
export function scrubText(text: string, ctx: SanitizeContext, walkedJson = false): string {
  if (!text) return text;
  let out = replaceJwts(text, ctx);
  if (out.includes('://') && out.includes('@')) {
    out = out.replace(USERINFO_IN_TEXT, (all, user: string, pass: string) => {
      const decoded = formDecode(pass);
      if (alreadySanitized(decoded)) return all;
      return `://${user}:${encodeURIComponent(sanitizeCredential(decoded, 'password', ctx))}@`;
    });
  }
  if (out.includes('=')) out = scrubPairs(out, ctx);
  // A body the JSON walker has read already had its pairs judged one by one.
  if (!walkedJson && out.includes('":')) out = scrubJsonPairs(out, ctx);
  if (out.includes("'")) {
    const src = out;
    out = src.replace(JS_VALUE_IN_TEXT, (all, sp: string, value: string, at: number) => {
      const key = identifierBefore(src, at);
      if (key === '' || secretName(key, 'json') !== 'secret' || PLAIN_WORD.test(value)) return all;
      const next = sanitizeCredential(value, kindForName(key), ctx);
      return next === value || next.includes("'") ? all : `:${sp}'${next}'`;
    });
  }
  out = sanitizeHtmlFields(out, ctx);
  out = out.replace(SCHEME_TOKEN_IN_TEXT, (all, scheme: string, sp: string, token: string) => {
    if (alreadySanitized(token)) return all;
    if (scheme.toLowerCase() === 'basic') return scheme + sp + sanitizeBasic(token, ctx);
    return scheme + sp + (sanitizeJwt(token, ctx) ?? ctx.standIn(token, 'token'));
  });
  return ctx.replaceKnown(out);
}

const FORM_BODY = /^[A-Za-z0-9_.%\-[\]*]+=[^\s&]*(?:&[A-Za-z0-9_.%\-[\]*]+(?:=[^\s&]*)?)*$/;

/** A request or response body, by its media type or, lacking one, by its look. */
export function sanitizeBody(text: string, mimeType: string | undefined, ctx: SanitizeContext): string {
  if (!text) return text;
  const mt = (mimeType ?? '').toLowerCase();
  let out = text;
  if (mt.includes('multipart/')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(mimeType ?? '');
    out = sanitizeMultipart(text, boundary?.[1] ?? boundary?.[2], ctx);
  } else if (
    mt.includes('x-www-form-urlencoded') ||
    (!/json|html|xml|javascript/.test(mt) && FORM_BODY.test(text.trim()))
  ) {
    out = sanitizeQueryString(text, 'form', ctx);
  } else {
    const walked = sanitizeJsonText(text, ctx);
    if (walked !== undefined) return scrubText(walked, ctx, true);
  }
  return scrubText(out, ctx);
}

/** Media types whose base64 `content.text` is worth decoding to look inside. */
export function isTextual(mimeType: string | undefined): boolean {
  return /^text\/|json|xml|javascript|x-www-form-urlencoded|html|graphql/i.test(mimeType ?? '');
}
