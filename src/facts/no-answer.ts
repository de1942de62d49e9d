import type { FailurePhase } from '../model/evidence.js';
import type { HarEntry, HarMeta } from '../model/har.js';

/**
 * A request that got no answer, as each producer writes it, and what it means (issue 14's research,
 * har-producers.md, quotes every source below). There is no one "status 0" to read:
 *
 * - Chrome, Edge, Opera (DevTools' HARLog) and Safari write `status: 0` and `response._error`;
 *   Chrome's is a `net::ERR_*` name from chromium `net/base/net_error_list.h`, Safari's is
 *   WebKit's localized failure text. Chrome writes `_error` on every entry (`null`, or `""` in
 *   older builds, beside real statuses), so it means something only with status 0.
 * - Playwright writes `status: -1` and `response._failureText` (the browser's own error text),
 *   and `_wasAborted: true` on a request a test aborted with `route.abort()`.
 * - Firefox writes `status: 0` and no reason at all; Firebug `statusText: "Aborted"`; Insomnia
 *   `statusText: "Error"` (the error itself is not exported); Charles `_charlesStatus` other than
 *   `COMPLETE`; an old BrowserMob Proxy `status: -999, statusText: "INTERNAL STATE"`.
 * - BrowserMob Proxy and mitmproxy write `status: 0` and `response._error` in their own words
 *   (BrowserMob's `HarCaptureUtil.java`: "No response received", "Unable to connect to host",
 *   "Response timed out", "Unable to resolve host: h:p"; mitmproxy's Python OSError text, or
 *   `null` when the client never got an answer).
 * - Fiddler never writes status 0: it answers a failed connection itself, `502 Fiddler -
 *   Connection Failed` with a body that starts `[Fiddler] The connection to '<host>' failed.`
 *   (Fiddler's `FailSession(502, sStatusLine, …)`). That 502 is Fiddler's, not the server's.
 *
 * Pure and platform-neutral.
 */

/** What kept the answer from coming, as far as the file tells. */
export type NoAnswerKind =
  /** An extension, an ad blocker or DevTools' request blocking stopped it in the browser. */
  | 'blocked-by-client'
  /** An administrator's browser policy. */
  | 'blocked-by-policy'
  /** The page's own rules: its Content-Security-Policy, ORB, CORP/COEP. */
  | 'blocked-by-page'
  /** A proxy wants its own credentials (407): an auth problem, the proxy's. */
  | 'proxy-auth'
  /** The proxy could not be reached, or could not connect on. */
  | 'proxy'
  | 'refused'
  /** A connection attempt failed (the producer does not say how). */
  | 'connect'
  | 'reset'
  | 'dns'
  | 'timeout'
  | 'offline'
  | 'tls'
  /** Cancelled on purpose: the page navigated away or aborted it, a test's `route.abort()`. */
  | 'aborted'
  /** Chromium's `net::ERR_FAILED`: most often CORS, else a blocked request. */
  | 'cors-or-blocked'
  /** The producer says the exchange broke off or never got an answer, and no more. */
  | 'no-response'
  /** A debugging proxy answered itself (Fiddler's 502): the request never reached the server. */
  | 'proxy-answer'
  /** The producer records no reason at all (Firefox, a missing `response`). */
  | 'unknown'
  /** A reason this module has no words for: its text is quoted as it is. */
  | 'other';

export interface NoAnswer {
  kind: NoAnswerKind;
  /** The producer's own words for it, as written (`net::ERR_BLOCKED_BY_CLIENT`, `No response received`). */
  text?: string;
  /** A short label for lists: the text, or what stands for it (`Aborted`, `no reason recorded`). */
  label: string;
  /** Who wrote the file, in words: `Chrome`, `Firefox`, `BrowserMob Proxy`, `this HAR's producer`. */
  producer: string;
  /** The probe's term for where it failed (evidence). */
  phase: FailurePhase;
}

/** A producer's name for messages, from `log.creator` (and `log.browser` for Playwright). */
export function producerOf(meta: HarMeta | undefined): string {
  const c = meta?.creator?.name?.trim() ?? '';
  const b = meta?.browser?.name?.trim() ?? '';
  if (/^webinspector$/i.test(c)) return 'Chrome';
  if (/^webkit web inspector$/i.test(c)) return 'Safari';
  if (/^internet explorer network inspector$/i.test(c)) return 'Internet Explorer';
  if (/^f12 developer tools$/i.test(c)) return 'Edge';
  if (/^insomnia/i.test(c)) return 'Insomnia';
  if (/^charles/i.test(c)) return 'Charles';
  if (/^playwright$/i.test(c) && b) return `Playwright (${b})`;
  if (c) return c;
  return b || "this HAR's producer";
}

/** The message of a Fiddler-made answer, or undefined: a 502 whose status text or body is Fiddler's. */
function fiddlerText(e: HarEntry): string | undefined {
  const r = e.response;
  if (r.status !== 502) return undefined;
  const body = typeof r.content?.text === 'string' ? r.content.text.slice(0, 2048) : '';
  if (body.startsWith('[Fiddler]'))
    return body
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return /^Fiddler\b/.test(r.statusText ?? '') ? r.statusText : undefined;
}

/** Whether the entry got no answer from its server: none at all, or only a debugging proxy's own. */
export function hasNoAnswer(e: HarEntry): boolean {
  const s = e.response?.status;
  if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) return true;
  return s === 502 && fiddlerText(e) !== undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Chromium's net error names (net_error_list.h), by what they mean here. */
const CHROMIUM: Array<[RegExp, NoAnswerKind]> = [
  [/^ERR_BLOCKED_BY_CLIENT$/, 'blocked-by-client'],
  [/^ERR_BLOCKED_BY_ADMINISTRATOR$/, 'blocked-by-policy'],
  [/^ERR_BLOCKED_BY_(?:RESPONSE|CSP|ORB|FINGERPRINTING_PROTECTION)$/, 'blocked-by-page'],
  [
    /^ERR_(?:UNEXPECTED_PROXY_AUTH|PROXY_AUTH_REQUESTED|PROXY_AUTH_UNSUPPORTED|PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION)$/,
    'proxy-auth',
  ],
  [/^ERR_(?:PROXY_|TUNNEL_CONNECTION_FAILED|SOCKS_|MANDATORY_PROXY)/, 'proxy'],
  [/^ERR_CONNECTION_REFUSED$/, 'refused'],
  [/^ERR_(?:CONNECTION_(?:RESET|CLOSED|ABORTED)|EMPTY_RESPONSE|NETWORK_CHANGED)$/, 'reset'],
  [/^ERR_(?:CONNECTION_FAILED|ADDRESS_UNREACHABLE|ADDRESS_INVALID|NETWORK_ACCESS_DENIED)$/, 'connect'],
  [/^ERR_(?:NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|DNS_)/, 'dns'],
  [/^ERR_(?:TIMED_OUT|CONNECTION_TIMED_OUT)$/, 'timeout'],
  [/^ERR_INTERNET_DISCONNECTED$/, 'offline'],
  [/^ERR_(?:CERT_|SSL_|INSECURE_RESPONSE|BAD_SSL_CLIENT_AUTH_CERT)/, 'tls'],
  [/^ERR_ABORTED$/, 'aborted'],
  [/^ERR_FAILED$/, 'cors-or-blocked'],
];

/** Firefox's (Playwright-Firefox `_failureText`) and WebKit's words, and the other producers'. */
const WORDS: Array<[RegExp, NoAnswerKind]> = [
  [/^NS_BINDING_ABORTED$|\bcancel+ed\b|^Load request cancelled/i, 'aborted'],
  [/^NS_ERROR_CONNECTION_REFUSED$|connection refused|\[Errno (?:111|61)\]|ConnectionRefused/i, 'refused'],
  [
    /^NS_ERROR_UNKNOWN_HOST$|Unable to resolve host|hostname could not be found|HostNotFound|DNS Lookup/i,
    'dns',
  ],
  [/^NS_ERROR_NET_TIMEOUT$|timed? ?out/i, 'timeout'],
  [/^NS_ERROR_NET_(?:RESET|INTERRUPT)$|connection was lost|ConnectionReset|Client disconnected/i, 'reset'],
  [/^NS_ERROR_OFFLINE$|not connected to the internet|appears to be offline/i, 'offline'],
  [/^(?:SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_)|certificate|secure connection/i, 'tls'],
  [/^NS_ERROR_PROXY_|upstream proxy\/gateway/i, 'proxy'],
  [/Unable to connect to host|Connect call failed|Could not connect|Multiple exceptions/i, 'connect'],
  [/^No response received$|connection cancelled|Connection killed/i, 'no-response'],
  [/blocked by (?:a )?content blocker/i, 'blocked-by-client'],
];

const PHASE: Record<NoAnswerKind, FailurePhase> = {
  'blocked-by-client': 'aborted',
  'blocked-by-policy': 'aborted',
  'blocked-by-page': 'aborted',
  'proxy-auth': 'connect',
  proxy: 'connect',
  refused: 'connect',
  connect: 'connect',
  reset: 'connect',
  dns: 'dns',
  timeout: 'timeout',
  offline: 'connect',
  tls: 'tls',
  aborted: 'aborted',
  'cors-or-blocked': 'protocol',
  'no-response': 'protocol',
  'proxy-answer': 'connect',
  unknown: 'protocol',
  other: 'protocol',
};

function kindOfText(t: string): NoAnswerKind {
  const net = /^net::(ERR_[A-Z0-9_]+)$/.exec(t);
  if (net) return CHROMIUM.find(([re]) => re.test(net[1]!))?.[1] ?? 'other';
  return WORDS.find(([re]) => re.test(t))?.[1] ?? 'other';
}

const LABEL_MAX = 160;

function clip(t: string): string {
  return t.length > LABEL_MAX ? `${t.slice(0, LABEL_MAX - 1)}…` : t;
}

function answer(kind: NoAnswerKind, producer: string, text: string | undefined, label?: string): NoAnswer {
  const n: NoAnswer = {
    kind,
    producer,
    phase: PHASE[kind],
    label: label ?? (text ? clip(text) : 'no reason recorded'),
  };
  if (text) n.text = text;
  return n;
}

/**
 * Why an entry got no answer, in the words of the producer that wrote it; undefined when it got
 * one. `meta` names the producer (Firefox's silence is not Chrome's).
 */
export function noAnswerOf(e: HarEntry, meta?: HarMeta): NoAnswer | undefined {
  if (!hasNoAnswer(e)) return undefined;
  const r = e.response;
  const producer = producerOf(meta);
  const fiddler = r?.status === 502 ? fiddlerText(e) : undefined;
  if (fiddler !== undefined) {
    const err = /Error: (\w+)/.exec(fiddler)?.[1];
    return answer('proxy-answer', 'Fiddler', fiddler, `Fiddler's own 502${err ? ` (${err})` : ''}`);
  }
  const text = str((r as { _failureText?: unknown })?._failureText) ?? str(r?._error);
  if (text) {
    const wasAborted = (e as { _wasAborted?: unknown })._wasAborted === true;
    return answer(wasAborted ? 'aborted' : kindOfText(text), producer, text);
  }
  if ((e as { _wasAborted?: unknown })._wasAborted === true)
    return answer('aborted', producer, undefined, 'aborted by the test (route.abort)');
  const statusText = str(r?.statusText);
  const charles = str((r as { _charlesStatus?: unknown })?._charlesStatus);
  if (charles && charles.toUpperCase() !== 'COMPLETE')
    return answer('no-response', 'Charles', undefined, `Charles: ${clip(charles)}`);
  if (statusText && /^aborted$/i.test(statusText)) return answer('unknown', producer, undefined, 'Aborted');
  if (statusText && /^error$/i.test(statusText)) return answer('unknown', producer, undefined, 'Error');
  if (statusText && typeof r?.status === 'number' && r.status < -1)
    return answer('no-response', producer, undefined, `status ${r.status} ${clip(statusText)}`);
  return answer('unknown', producer, undefined);
}
