import {
  HEADER_LIMITS,
  RFC_6585,
  commonLimitExceeded,
  headerLineBytes,
  limitByServer,
  matchHeaderTooLarge,
  utf8Length,
  type HeaderLimit,
} from '../knowledge/header-limits.js';
import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValues, type HeaderList } from '../model/http.js';
import { defineCheck, type Draft } from './check.js';
import { probeName, responseStatus } from './cite.js';
import type { Facts } from '../facts/request.js';
import { clip, redactorFor } from './response-util.js';

/**
 * The request's head is too large for a server on the way: a 40 KB JWT (a long `groups` claim) or
 * a pile of cookies. The server refuses while reading the head, before any code that checks
 * credentials runs: nginx with its 400 "Request Header Or Cookie Too Large" page, Node.js with a
 * bare 431 (RFC 6585 §5), Apache, IIS, Tomcat with their own words; some just close the
 * connection. The finding names the sizes sent (never a value), the limit of the server that
 * answered (src/knowledge/header-limits.ts), and what to make smaller or raise.
 */

/** A token larger than this is worth making smaller whatever the server's limit. */
const BIG_TOKEN = 4096;

interface Named {
  name: string;
  bytes: number;
}

export interface SentSizes {
  /** Request line, every header line (Host included) and the blank line, in bytes. */
  total: number;
  /** Header lines sent. */
  lines: number;
  /** The largest header line (`Name: value\r\n`). */
  largest?: Named;
  /** All Cookie headers together: bytes of their lines, cookies in them, the largest cookie by name. */
  cookie?: { bytes: number; count: number; largest?: Named };
  /** The bearer token: its length and, for a JWT, its largest claim. */
  token?: {
    bytes: number;
    claims: number;
    largestClaim?: Named & { entries?: number };
  };
}

function fmt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "39.0 KiB (39,987 bytes)" or "812 bytes". */
export function size(n: number): string {
  return n < 1024 ? `${fmt(n)} bytes` : `${(n / 1024).toFixed(1)} KiB (${fmt(n)} bytes)`;
}

function kib(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KiB` : `${fmt(n)} bytes`;
}

function requestLine(method: string, url: string): { line: string; host?: string } {
  try {
    const u = new URL(url);
    return { line: `${method} ${u.pathname}${u.search} HTTP/1.1`, host: u.host };
  } catch {
    return { line: `${method} ${url} HTTP/1.1` };
  }
}

/** The sizes of what was sent, from the request as it went on the wire. */
export function sentSizes(f: Facts): SentSizes {
  const x = f.final ?? f.first;
  const headers: HeaderList = x?.request.headers ?? f.ev.request.headers;
  const { line, host } = requestLine(
    x?.request.method ?? f.ev.request.method,
    x?.request.url ?? f.ev.request.url,
  );
  const withHost: HeaderList =
    host !== undefined && !headers.some(([n]) => n.toLowerCase() === 'host')
      ? [['Host', host], ...headers]
      : headers;

  let total = utf8Length(line) + 2 + 2;
  let largest: Named | undefined;
  for (const [name, value] of withHost) {
    const bytes = headerLineBytes(name, value);
    total += bytes;
    if (!largest || bytes > largest.bytes) largest = { name, bytes };
  }
  const out: SentSizes = { total, lines: withHost.length };
  if (largest) out.largest = largest;

  const cookieLines = withHost.filter(([n]) => n.toLowerCase() === 'cookie');
  if (cookieLines.length > 0) {
    const pairs = cookieLines.flatMap(([, v]) => v.split(';').map((p) => p.trim())).filter((p) => p !== '');
    let big: Named | undefined;
    for (const p of pairs) {
      const eq = p.indexOf('=');
      const c = { name: eq > 0 ? p.slice(0, eq) : '(unnamed)', bytes: utf8Length(p) };
      if (!big || c.bytes > big.bytes) big = c;
    }
    const cookie: NonNullable<SentSizes['cookie']> = {
      bytes: cookieLines.reduce((s, [n, v]) => s + headerLineBytes(n, v), 0),
      count: pairs.length,
    };
    if (big) cookie.largest = big;
    out.cookie = cookie;
  }

  if (f.token) {
    const t: NonNullable<SentSizes['token']> = { bytes: utf8Length(f.token.value), claims: 0 };
    const d = f.token.decode;
    if (d?.ok) {
      const claims = Object.entries(d.jwt.payload);
      t.claims = claims.length;
      let big: (Named & { entries?: number }) | undefined;
      for (const [name, value] of claims) {
        const bytes = utf8Length(JSON.stringify(value) ?? '');
        if (!big || bytes > big.bytes) {
          big = { name, bytes };
          if (Array.isArray(value)) big.entries = value.length;
        }
      }
      if (big) t.largestClaim = big;
    }
    out.token = t;
  }
  return out;
}

/** Facts about the sizes, in words, for the detail. */
function sizeWords(s: SentSizes): string {
  const parts = [`The request's head was ${size(s.total)} in ${s.lines} header lines and the request line`];
  if (s.largest) parts.push(`the largest header is ${s.largest.name} at ${size(s.largest.bytes)}`);
  if (s.cookie)
    parts.push(
      `the Cookie header${s.cookie.count === 1 ? '' : 's'} ${size(s.cookie.bytes)} with ${s.cookie.count} cookie${s.cookie.count === 1 ? '' : 's'}${s.cookie.largest && s.cookie.count > 1 ? ` (the largest, \`${s.cookie.largest.name}\`, ${size(s.cookie.largest.bytes)})` : ''}`,
    );
  const t = s.token;
  if (t) {
    const claim = t.largestClaim
      ? `; its largest claim is \`${t.largestClaim.name}\`${t.largestClaim.entries !== undefined ? ` with ${fmt(t.largestClaim.entries)} entries` : ''}, about ${size(Math.ceil((t.largestClaim.bytes * 4) / 3))} once encoded`
      : '';
    parts.push(`the token alone is ${size(t.bytes)}${claim}`);
  }
  return `${parts.join('; ')}.`;
}

/** What the product's limit says about what was sent. */
function limitWords(e: HeaderLimit, s: SentSizes): string {
  const over: string[] = [];
  if (e.perHeader !== undefined && s.largest && s.largest.bytes > e.perHeader)
    over.push(
      `the ${s.largest.name} line (${fmt(s.largest.bytes)} bytes) is ${(s.largest.bytes / e.perHeader).toFixed(1)} times its ${kib(e.perHeader)} per header`,
    );
  if (e.total !== undefined && s.total > e.total)
    over.push(
      `the whole head (${fmt(s.total)} bytes) is ${(s.total / e.total).toFixed(1)} times its ${kib(e.total)} in all`,
    );
  const verdict =
    over.length > 0
      ? ` By default ${over.join(', and ')}.`
      : ' What was sent is within its default, so the limit there is set lower than the default.';
  return `${e.product}'s limit: ${e.limitWords}.${verdict}`;
}

const GROUPISH = /group|role|wids|permission|entitlement|scope|authorit/i;

function issuerOf(f: Facts): string {
  const d = f.token?.decode;
  const iss = d?.ok ? d.jwt.payload.iss : undefined;
  return typeof iss === 'string' ? iss : '';
}

/** The fixes, most direct first: a smaller token, fewer cookies, then the server's setting. */
function fixFor(f: Facts, s: SentSizes, e: HeaderLimit | undefined): string {
  const out: string[] = [];
  const t = s.token;
  const tokenIsTheBulk =
    t !== undefined && (t.bytes >= BIG_TOKEN || s.largest?.name.toLowerCase() === 'authorization');
  if (t && tokenIsTheBulk) {
    const c = t.largestClaim;
    const iss = issuerOf(f);
    const claimNote =
      c && c.entries !== undefined && GROUPISH.test(c.name)
        ? `Put fewer claims in the token: \`${c.name}\` carries ${fmt(c.entries)} entries. `
        : c
          ? `Put fewer claims in the token (the largest is \`${c.name}\`). `
          : 'Make the token smaller. ';
    let idp = '';
    if (/login\.microsoftonline\.com|sts\.windows\.net|ciamlogin\.com/i.test(iss))
      idp =
        'Entra ID: emit only the groups assigned to the application (groupMembershipClaims "ApplicationGroup") or a group filter; past 200 groups in a JWT it sends an overage claim instead (`_claim_names`/`_claim_sources`; `hasgroups` in the implicit flow) and the API reads the groups from Microsoft Graph. ';
    else if (/okta(?:preview)?\.com|oktapreview|okta-emea\.com/i.test(iss))
      idp =
        'Okta: give the groups claim a filter (Starts with, Equals, Contains or Matches regex) so only the groups the API checks go in. ';
    else if (c && GROUPISH.test(c.name))
      idp =
        'Entra ID switches to an overage claim (`_claim_names`, `hasgroups`) past 200 groups and can emit only the groups assigned to the application; Okta can filter the groups claim; other issuers have a claim filter or mapper. ';
    out.push(
      `${claimNote}${idp}Or issue a reference (opaque) token that the API introspects (RFC 7662), so the claims stay with the issuer.`,
    );
  }
  if (s.cookie && (s.cookie.bytes >= BIG_TOKEN || s.largest?.name.toLowerCase() === 'cookie'))
    out.push(
      `Trim the cookies: ${s.cookie.count} cookies, ${size(s.cookie.bytes)}${s.cookie.largest ? `, the largest \`${s.cookie.largest.name}\`` : ''}. Drop stale ones, keep large state on the server, and scope cookies with Path/Domain so each request carries only what it needs.`,
    );
  if (e)
    out.push(
      e.raise
        ? `Or raise ${e.product}'s limit: \`${e.raise}\` ${e.raiseWhere}.`
        : `${e.product}: ${e.raiseWhere}.`,
    );
  else
    out.push(
      `Or raise the limit of the server that refused: nginx \`${HEADER_LIMITS[0]!.raise}\`, Node.js \`--max-http-header-size=65536\`, Apache \`LimitRequestFieldSize 65536\`, Tomcat \`maxHttpHeaderSize="65536"\`, Envoy \`max_request_headers_kb: 96\`.`,
    );
  if (out.length === 1 && !e)
    out.unshift('Send smaller headers (a smaller token, fewer or smaller cookies).');
  return out.join(' ');
}

/** Evidence for the sizes: where each big header was, with its size, never its value. */
function sizeEvidence(s: SentSizes): EvidenceItem[] {
  const ev: EvidenceItem[] = [
    {
      probe: 'input',
      where: 'request.headers',
      value: `${size(s.total)} in ${s.lines} header lines and the request line`,
    },
  ];
  const where = (name: string) => `request.header.${name.toLowerCase()}`;
  if (s.largest)
    ev.push({
      probe: 'input',
      where: where(s.largest.name),
      value: `${size(s.largest.bytes)}: the largest header${s.token && s.largest.name.toLowerCase() === 'authorization' ? `, a token of ${fmt(s.token.bytes)} characters` : ''}`,
    });
  if (s.cookie && s.largest?.name.toLowerCase() !== 'cookie')
    ev.push({
      probe: 'input',
      where: 'request.header.cookie',
      value: `${size(s.cookie.bytes)}, ${s.cookie.count} cookies`,
    });
  else if (s.cookie) ev[ev.length - 1]!.value += `, ${s.cookie.count} cookies`;
  const c = s.token?.largestClaim;
  if (c)
    ev.push({
      probe: 'input',
      where: `token.${c.name}`,
      value: `${c.entries !== undefined ? `${fmt(c.entries)} entries, ` : ''}${size(c.bytes)} of JSON: the largest of the token's ${s.token!.claims} claims`,
    });
  return ev;
}

const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

export default defineCheck(
  {
    id: 'header.too-large',
    plain:
      'The request carries too much in its headers (a very long sign-in token or too many cookies), so the server refused it before looking at who you are',
    directness: 0,
    absorbs: ['credentials.rejected', 'credentials.not-received', 'server.gateway-rejected'],
    step: 3,
    kind: 'cause',
    title: 'The request headers are too large for the server',
    fix: "Send smaller headers: a token with fewer claims (or a reference token), fewer or smaller cookies; or raise the server's header limit (nginx `large_client_header_buffers`, Node.js `--max-http-header-size`, Apache `LimitRequestFieldSize`).",
    ref: `${RFC_6585}; src/knowledge/header-limits.ts`,
    applies: (f) => (f.final ? undefined : 'nothing was sent'),
  },
  (f): Draft | undefined => {
    const x: Exchange | undefined = f.final;
    if (!x) return;
    const s = sentSizes(f);
    const r = f.response;

    if (r) {
      const redact = redactorFor(f);
      const m = matchHeaderTooLarge({ status: r.status, headers: r.headers, body: r.body });
      const byServer = limitByServer(r.headers);
      let confidence: Draft['confidence'] = 'confirmed';
      let entry = m?.entry;
      let said: string;
      if (m) {
        said =
          m.how === 'words'
            ? `${entry?.product ?? 'The server'} answered ${r.status} with "${clip(redact(m.quote), 120)}"${m.namedBy ? ` (named by ${m.namedBy})` : ''}.`
            : m.how === 'status-494'
              ? `The answer is 494, nginx's own status for a request header too large.`
              : `${entry ? entry.product : 'The server'} answered 431 Request Header Fields Too Large (RFC 6585 §5: its header fields are too large)${m.namedBy ? `; ${m.namedBy}` : ''}.`;
      } else if (
        (r.status === 400 || r.status === 413) &&
        byServer &&
        ((byServer.entry.perHeader !== undefined && (s.largest?.bytes ?? 0) > byServer.entry.perHeader) ||
          (byServer.entry.total !== undefined && s.total > byServer.entry.total))
      ) {
        // A bare 400 from a product whose default limit the request exceeds.
        entry = byServer.entry;
        confidence = 'likely';
        said = `${entry.product} (Server: ${byServer.server}) answered ${r.status} without saying why, to a request larger than its default limit.`;
      } else return;

      const evidence: EvidenceItem[] = [...sizeEvidence(s), responseStatus(x)];
      if (m && m.how === 'words')
        evidence.push({ probe: probeName(x), where: 'response.body', value: clip(redact(m.quote), 200) });
      for (const v of headerValues(r.headers, 'server'))
        evidence.push({ probe: probeName(x), where: 'response.header.server', value: clip(v, 120) });
      const anon = f.anonymous?.response;
      const differs =
        anon && anon.status !== r.status
          ? ` The same request without credentials got ${anon.status}: the credentials' size makes the difference.`
          : '';
      if (anon && anon.status !== r.status)
        evidence.push({ probe: 'anonymous', where: 'response.status', value: String(anon.status) });
      return {
        confidence,
        title: `${entry ? entry.product : 'The server'} refused the request because its headers are too large${s.largest ? ` (${s.largest.name}: ${size(s.largest.bytes).split(' (')[0]})` : ''}`,
        detail:
          `${said} ${sizeWords(s)} ${entry ? limitWords(entry, s) : ''}${differs} The request never reached the code that checks credentials, so no 401 or 403 could explain anything. (Source: ${entry?.source ?? RFC_6585}.)`
            .replace(/\s+/g, ' ')
            .trim(),
        fix: fixFor(f, s, entry),
        evidence,
      };
    }

    // No answer: the connection was cut after a head larger than a common limit.
    const err = x.error;
    if (!err || !RESET.has(err.code)) return;
    const hit = commonLimitExceeded(s.largest?.bytes ?? 0, s.total);
    if (!hit) return;
    const anon = f.anonymous?.response;
    const what =
      hit.what === 'per-header'
        ? `its largest header line (${s.largest?.name}, ${size(s.largest?.bytes ?? 0)}) is over ${hit.entry.product}'s ${kib(hit.limit)} per header`
        : `its head (${size(s.total)}) is over ${hit.entry.product}'s ${kib(hit.limit)} in all`;
    return {
      confidence: 'likely',
      title: `The connection was cut after a request head of ${size(s.total).split(' (')[0]}: probably too large for the server`,
      detail: `The server closed the connection (${err.code}) instead of answering, and ${what}; servers and proxies that refuse an oversized head often just close the connection. ${sizeWords(s)}${anon ? ` The same request without credentials got ${anon.status}, so the server answers smaller requests.` : ''}`,
      fix: fixFor(f, s, undefined),
      evidence: [
        ...sizeEvidence(s),
        { probe: probeName(x), where: `error.${err.phase}`, value: err.code },
        ...(anon ? [{ probe: 'anonymous', where: 'response.status', value: String(anon.status) }] : []),
      ],
    };
  },
);
