import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import {
  connect as tlsConnect,
  rootCertificates,
  type ConnectionOptions,
  type DetailedPeerCertificate,
  type TLSSocket,
} from 'node:tls';
import type { CertInfo, ExchangeError, TlsInfo } from '../model/evidence.js';
import { classifyError } from './errors.js';
import { LIMITS } from './limits.js';

/**
 * The TLS session of an https target, read with a handshake of its own (node:tls), beside the
 * request itself: undici does not hand out the peer chain when verification fails, and a failed
 * verification is exactly when the chain matters (an intercepting proxy, an expired or wrong-host
 * certificate). A probe never decides a cause; this one only records what the server presented.
 *
 * The handshake always runs with `rejectUnauthorized: false`, so the chain is read whatever its
 * state; `authorized` and `authorizationError` are then Node's own verdict against the CAs it
 * trusts (its bundled Mozilla list, NODE_EXTRA_CA_CERTS, and `ca` when given) and the host name.
 * `-k` does not change what is read or judged: an interceptor is reported even then.
 */

export interface InspectTlsOptions {
  /** curl -k. Only relaxes the check of an https:// proxy's own certificate; the target's chain is always judged. */
  insecure: boolean;
  /** Extra trusted CA certificates, PEM (curl --cacert), added to the defaults as `caOptions` does. */
  ca?: string;
  /** SNI and the name the certificate is checked against. Default: the URL's host (no SNI for an IP address). */
  servername?: string;
  signal: AbortSignal;
  /** The whole inspection (TCP, proxy CONNECT, handshake). Default: LIMITS.connectTimeoutMs. */
  timeoutMs?: number;
  /**
   * An http:// or https:// forward proxy to tunnel through with CONNECT, as the request itself
   * does: an explicit corporate proxy is often the interceptor, and a direct connection would
   * show another chain or none. Credentials in its URL go out as Proxy-Authorization: Basic.
   */
  proxy?: string;
  /** Where NODE_EXTRA_CA_CERTS is read from when `ca` is given (see caOptions). Default: none. */
  env?: Record<string, string | undefined>;
}

/** Node's default roots plus NODE_EXTRA_CA_CERTS, read once per value of that variable. */
let defaults: { extra: string | undefined; list: string[] } | undefined;

function defaultCas(env: Record<string, string | undefined>): string[] {
  const extra = env.NODE_EXTRA_CA_CERTS || undefined;
  if (defaults && defaults.extra === extra) return defaults.list;
  const list = [...rootCertificates];
  // An explicit `ca` replaces Node's store, NODE_EXTRA_CA_CERTS included (measured on Node
  // 20.20: the extra root stops verifying as soon as `ca` is set), so it is added back here.
  if (extra) {
    try {
      list.push(readFileSync(extra, 'utf8'));
    } catch {
      // Node has already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  defaults = { extra, list };
  return list;
}

/**
 * TLS options that make a connection trust `pem` (curl --cacert) as well as the usual roots,
 * for undici (`new Agent({ connect: { ...caOptions(pem) } })`, `requestTls`/`proxyTls` of a
 * ProxyAgent) and for `inspectTls`. Without `pem`: `{}`, Node's defaults unchanged.
 *
 * curl's --cacert REPLACES curl's CA bundle; this EXTENDS Node's. Chosen because one dispatcher
 * serves every probe of a run: the API, but also redirects to other hosts and the identity
 * provider's discovery, JWKS and token endpoints, which curl never contacted and which are
 * usually signed by a public CA. A corporate root given to fix an intercepted API must not break
 * the IdP probes; and a --cacert file holding only an intermediate still verifies. The price: a
 * chain that only a public CA signs is accepted where curl, with --cacert, would refuse it. The
 * report is about why the request is refused, not about replaying curl's trust decision.
 *
 * `env` is where NODE_EXTRA_CA_CERTS is read from: the caller's environment (the CLI passes its
 * process's), never read here, so that a library caller decides what its diagnosis trusts.
 */
export function caOptions(pem?: string, env: Record<string, string | undefined> = {}): { ca?: string[] } {
  if (pem === undefined || pem.trim() === '') return {};
  return { ca: [...defaultCas(env), pem] };
}

// --- certificate details -------------------------------------------------------------------

/** Conventional one-line order: most specific first ("CN=api.example.com, O=Example"). */
const DN_ORDER = ['CN', 'OU', 'O', 'L', 'ST', 'C'];

/** RFC 4514 escaping of an attribute value, so that the matcher can split the line again. */
export function escapeDnValue(v: string): string {
  let out = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Node's subject/issuer object ({ C, O, CN, … }, arrays for repeated attributes) as one line. */
export function formatDn(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  const keys = Object.keys(name);
  const ordered = [...DN_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !DN_ORDER.includes(k))];
  const parts: string[] = [];
  for (const k of ordered) {
    const v = name[k];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${k}=${escapeDnValue(one)}`);
  }
  return parts.join(', ');
}

function isoDate(s: string | undefined): string {
  const t = s ? Date.parse(s) : Number.NaN;
  return Number.isNaN(t) ? (s ?? '') : new Date(t).toISOString();
}

function isSelfSigned(c: DetailedPeerCertificate, subject: string, issuer: string): boolean {
  if (c.raw) {
    try {
      const x = new X509Certificate(c.raw);
      return x.checkIssued(x) && x.verify(x.publicKey);
    } catch {
      // fall back on the names
    }
  }
  return subject === issuer;
}

/** One certificate as evidence. */
export function certInfo(c: DetailedPeerCertificate): CertInfo {
  const subject = formatDn(c.subject as unknown as Record<string, string | string[]>);
  const issuer = formatDn(c.issuer as unknown as Record<string, string | string[]>);
  const info: CertInfo = {
    subject,
    issuer,
    validFrom: isoDate(c.valid_from),
    validTo: isoDate(c.valid_to),
    fingerprint256: c.fingerprint256,
    selfSigned: isSelfSigned(c, subject, issuer),
  };
  if (c.subjectaltname) info.subjectAltNames = c.subjectaltname.split(/,\s*/).filter((s) => s !== '');
  return info;
}

/**
 * The chain as Node built it, leaf first, following `issuerCertificate` until a certificate is
 * its own issuer (a root) or the next one is missing. Node appends the trusted root from its
 * store when the server did not send it.
 */
export function chainOf(peer: DetailedPeerCertificate | undefined): CertInfo[] {
  const out: CertInfo[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c && c.fingerprint256 && !seen.has(c.fingerprint256) && out.length < 16) {
    seen.add(c.fingerprint256);
    out.push(certInfo(c));
    const next: DetailedPeerCertificate | undefined = c.issuerCertificate;
    if (!next || next === c || next.fingerprint256 === c.fingerprint256) break;
    c = next;
  }
  return out;
}

/**
 * The session of a connected TLS socket as evidence. Also usable on the sockets undici publishes
 * on the `undici:client:connected` diagnostics channel, when the request itself got through.
 */
export function tlsInfoOf(s: TLSSocket): TlsInfo {
  const info: TlsInfo = { authorized: s.authorized, chain: chainOf(s.getPeerCertificate(true)) };
  const protocol = s.getProtocol();
  if (protocol) info.protocol = protocol;
  if (typeof s.alpnProtocol === 'string') info.alpn = s.alpnProtocol;
  // Node sets a code string here (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID …), typed as Error.
  const reason = s.authorizationError as unknown;
  if (!s.authorized && reason)
    info.authorizationError =
      reason instanceof Error
        ? ((reason as Error & { code?: string }).code ?? reason.message)
        : String(reason);
  return info;
}

// --- the handshake ---------------------------------------------------------------------------

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no TLS handshake within ${ms} ms`), { code: 'ETIMEDOUT' });
}

/** Opens a CONNECT tunnel to host:port through an http(s) proxy; resolves with the raw socket. */
function tunnel(
  proxyUrl: string,
  host: string,
  port: number,
  insecure: boolean,
  track: (s: Socket) => void,
): Promise<Socket> {
  const p = new URL(proxyUrl);
  const proxyPort = Number(p.port) || (p.protocol === 'https:' ? 443 : 80);
  const proxyHost = p.hostname.replace(/^\[|\]$/g, '');
  const socket: Socket =
    p.protocol === 'https:'
      ? tlsConnect({
          host: proxyHost,
          port: proxyPort,
          rejectUnauthorized: !insecure,
          ...(isIP(proxyHost) ? {} : { servername: proxyHost }),
        })
      : netConnect({ host: proxyHost, port: proxyPort });
  track(socket);
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (p.username || p.password) {
    const user = decodeURIComponent(p.username);
    const pass = decodeURIComponent(p.password);
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`);
  }
  return new Promise<Socket>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 16 * 1024)
          fail(Object.assign(new Error('proxy answer too long'), { code: 'EPROTO' }));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(buf.subarray(0, end).toString('latin1'));
      if (status?.[1] !== '200') {
        fail(
          Object.assign(
            new Error(`the proxy refused CONNECT ${authority}: ${status?.[1] ?? 'no HTTP status'}`),
            {
              code: 'PROXY_CONNECT_REFUSED',
            },
          ),
        );
        return;
      }
      const rest = buf.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const fail = (e: Error) => {
      socket.off('data', onData);
      reject(e);
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', () =>
      fail(Object.assign(new Error('the proxy closed the connection'), { code: 'ECONNRESET' })),
    );
    const send = () => socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (p.protocol === 'https:') socket.once('secureConnect', send);
    else socket.once('connect', send);
  });
}

/**
 * Connects to the URL's host and port, completes a TLS handshake (SNI set, ALPN h2 and
 * http/1.1 offered), reads the presented chain and closes. Never sends HTTP. Always ends: the
 * socket is destroyed on success, error, timeout or abort.
 */
export async function inspectTls(
  url: string,
  o: InspectTlsOptions,
): Promise<TlsInfo | { error: ExchangeError }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: { phase: 'refused-by-tool', code: 'INVALID_URL', message: `not a URL: ${url}` } };
  }
  if (u.protocol !== 'https:') {
    return {
      error: {
        phase: 'refused-by-tool',
        code: 'NOT_HTTPS',
        message: `${u.protocol} has no TLS session to inspect`,
      },
    };
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port) || 443;
  const servername = o.servername ?? (isIP(host) ? undefined : host);
  const timeoutMs = o.timeoutMs ?? LIMITS.connectTimeoutMs;

  let over = false;
  const sockets: Socket[] = [];
  const track = (s: Socket) => {
    sockets.push(s);
    s.on('error', () => undefined); // errors are reported through the promise below
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
    onAbort = () => reject(o.signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
  });
  stop.catch(() => undefined); // settled through the race below; never an unhandled rejection

  const handshake = async (): Promise<TlsInfo> => {
    const opts: ConnectionOptions = {
      host,
      port,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2', 'http/1.1'],
      ...caOptions(o.ca, o.env),
    };
    if (servername !== undefined) opts.servername = servername;
    if (o.proxy) opts.socket = await tunnel(o.proxy, host, port, o.insecure, track);
    if (over) throw new Error('the inspection already ended'); // the race below was lost: open nothing more
    const s: TLSSocket = tlsConnect(opts);
    track(s);
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', () => resolve());
      s.once('error', reject);
      s.once('close', () =>
        reject(
          Object.assign(new Error('the connection closed during the TLS handshake'), { code: 'ECONNRESET' }),
        ),
      );
    });
    return tlsInfoOf(s);
  };

  try {
    return await Promise.race([handshake(), stop]);
  } catch (e) {
    return { error: classifyError(o.signal.aborted ? (o.signal.reason ?? e) : e) };
  } finally {
    over = true;
    clearTimeout(timer);
    if (onAbort) o.signal.removeEventListener('abort', onAbort);
    // Outermost first: destroying a proxy tunnel's socket while the TLS socket on top of it is
    // alive crashes Node 20.20 (SIGSEGV at exit, reproduced); the TLS socket goes first.
    for (const s of sockets.reverse()) s.destroy();
  }
}
