import { dnAttr, matchInterceptor, type InterceptorMatch } from '../knowledge/tls-interceptors.js';
import type { Exchange, TlsInfo } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { defineCheck, type Draft } from './check.js';
import { probeName } from './cite.js';
import type { Facts } from '../facts/request.js';
import { hostnameOf } from '../parse/url.js';

/**
 * Something between this machine and the server decrypts TLS and re-signs it with its own CA:
 * a corporate secure web gateway (Zscaler, Netskope, a firewall's decryption), an antivirus web
 * shield, a debugging proxy. The chain says so, and such a box may itself answer 401/403 or strip
 * and rewrite the headers it forwards (issue 4).
 *
 * Confirmed when the chain names a known product (src/knowledge/tls-interceptors.ts); likely when
 * Node does not trust the chain's root and that root looks like an organisation's CA on a public
 * host name. A cause when the request failed (401/403, or TLS itself), a warning otherwise.
 */

/** The main probe's TLS session: the final hop's, else the last hop that has one. */
export function tlsOf(f: Facts): { x: Exchange; tls: TlsInfo } | undefined {
  if (f.final?.tls) return { x: f.final, tls: f.final.tls };
  const x = [...f.main].reverse().find((e) => e.tls);
  return x?.tls ? { x, tls: x.tls } : undefined;
}

/** The host name without IPv6 brackets, or the text itself when it does not parse. */
export function hostOf(url: string): string {
  return hostnameOf(url)?.replace(/^\[|\]$/g, '') ?? url;
}

const PRIVATE_SUFFIXES = ['local', 'localhost', 'internal', 'intranet', 'corp', 'lan', 'home', 'home.arpa'];

/**
 * A name anyone on the internet could resolve and get a publicly trusted certificate for. An
 * unknown root in front of `api.example.com` points at interception; in front of `wiki.corp` or
 * `10.0.0.5` it is more likely the organisation's own PKI.
 */
export function looksPublicHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return !(
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (h.includes(':')) return !/^(::1$|fe80:|f[cd])/.test(h);
  if (!h.includes('.')) return false;
  return !PRIVATE_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}

/** The name of the chain's top: the root's subject when the server sent it, else the last certificate's issuer. */
export function chainRoot(tls: TlsInfo): { dn: string; where: string } | undefined {
  const top = tls.chain.at(-1);
  if (!top) return undefined;
  const i = tls.chain.length - 1;
  return top.selfSigned
    ? { dn: top.subject, where: `chain[${i}].subject` }
    : { dn: top.issuer, where: `chain[${i}].issuer` };
}

/** Verification errors that mean "the chain ends at a root Node does not trust". */
const UNTRUSTED_ROOT = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

const ORG_LIKE =
  /\b(?:CA|Root|Authority|Proxy|Inspection|Security|Secure|Firewall|Gateway|SSL|TLS|Filter|Decrypt\w*|Intermediate|Issuing)\b/i;

/** Whether the request failed in a way a middlebox can explain: refused, or stopped at TLS. */
function failed(f: Facts): boolean {
  return f.status === 401 || f.status === 403 || f.final?.error?.phase === 'tls';
}

const KIND_FIX: Record<InterceptorMatch['kind'], (product: string, host: string) => string> = {
  corporate: (p, host) =>
    `Your network inspects TLS (${p}): ask IT to exempt ${host} from inspection, or trust their root CA for this tool (\`--cacert company-root.pem\`; NODE_EXTRA_CA_CERTS for Node apps). The middlebox may also strip or rewrite headers such as Authorization: if they do not reach the server, the exemption is the fix.`,
  antivirus: (p, host) =>
    `${p} scans HTTPS on this machine: turn off its HTTPS/SSL scanning for ${host}, or trust its root CA for this tool (\`--cacert av-root.pem\`; NODE_EXTRA_CA_CERTS for Node apps). Scanners may also strip or rewrite headers on the way.`,
  'debugging-proxy': (p, host) =>
    `${p} is decrypting this traffic: stop it or turn off its SSL proxying for ${host}, or trust its root CA for this tool (\`--cacert proxy-root.pem\`). Check its rewrite and breakpoint rules too: a debugging proxy can strip or rewrite headers.`,
};

function consequence(f: Facts, tls: TlsInfo): string {
  if (f.final?.error?.phase === 'tls')
    return `Node does not trust that CA${tls.authorizationError ? ` (${tls.authorizationError})` : ''}, so the request stopped at the TLS handshake: no HTTP was exchanged and no server judged the credentials.`;
  if (f.status === 401 || f.status === 403)
    return `The ${f.status} may come from the middlebox's own policy, or from a header it stripped or rewrote before forwarding the request.`;
  return 'Such middleboxes may strip or rewrite headers (Authorization, Cookie) before forwarding the request.';
}

function evidenceOf(x: Exchange, tls: TlsInfo, dn: string, where: string): EvidenceItem[] {
  const probe = probeName(x);
  const items: EvidenceItem[] = [{ probe, where: `tls.${where}`, value: dn }];
  const leafIssuer = tls.chain[0]?.issuer;
  if (leafIssuer !== undefined && where !== 'chain[0].issuer')
    items.push({ probe, where: 'tls.chain[0].issuer', value: leafIssuer });
  if (tls.authorizationError)
    items.push({ probe, where: 'tls.authorizationError', value: tls.authorizationError });
  return items;
}

export default defineCheck(
  {
    id: 'network.tls-intercepted',
    plain: 'Something on your network (a company filter or security tool) opens the secure connection',
    directness: 0,
    step: 5,
    kind: 'cause',
    title: 'TLS is intercepted on the way to the server',
    fix: 'Your network inspects TLS: ask IT to exempt the API host, or trust their root CA for this tool (`--cacert company-root.pem`; NODE_EXTRA_CA_CERTS for Node apps). Such middleboxes may also strip or rewrite headers.',
    ref: 'RFC 5280 §6 (path validation); the products in src/knowledge/tls-interceptors.ts',
  },
  (f): Draft | undefined => {
    const found = tlsOf(f);
    if (!found) return undefined;
    const { x, tls } = found;
    const host = hostOf(x.request.url);
    const kind = failed(f) ? 'cause' : 'warning';

    const product = matchInterceptor(tls.chain, host);
    if (product) {
      return {
        kind,
        confidence: product.certainty === 'unverified' ? 'likely' : 'confirmed',
        title: `TLS to ${host} is intercepted by ${product.product}`,
        detail: `The certificate ${host} presented was issued by "${product.matched}" (${product.where}), a CA of ${product.product}, not by the site's own CA: ${product.product} decrypts the connection and re-signs it. ${consequence(f, tls)}`,
        fix: KIND_FIX[product.kind](product.product, host),
        evidence: evidenceOf(x, tls, product.matched, product.where),
      };
    }

    // No known product: an untrusted root that looks like an organisation's, on a public name.
    if (tls.authorized || !tls.authorizationError || !UNTRUSTED_ROOT.has(tls.authorizationError))
      return undefined;
    if (tls.chain.length < 2 && tls.chain[0]?.selfSigned) return undefined; // a self-signed server, not a middlebox
    const root = chainRoot(tls);
    if (!root || !looksPublicHost(host)) return undefined;
    const rootOrg = dnAttr(root.dn, 'O');
    const rootCn = dnAttr(root.dn, 'CN') ?? '';
    if (!rootOrg && !ORG_LIKE.test(rootCn)) return undefined;
    const leafOrg = tls.chain[0] ? dnAttr(tls.chain[0].subject, 'O') : undefined;
    if (rootOrg && leafOrg && rootOrg.toLowerCase() === leafOrg.toLowerCase()) return undefined; // the site's own private PKI
    const who = rootOrg ?? rootCn;
    return {
      kind,
      confidence: 'likely',
      title: `TLS to ${host} is likely intercepted: the chain ends at "${who}", not a public CA`,
      detail: `The chain for ${host} ends at "${root.dn}" (${root.where}), which Node does not trust (${tls.authorizationError}). A public API is signed by a public CA; a private root in front of it is the mark of a TLS-inspecting proxy, firewall or antivirus on this network or machine. ${consequence(f, tls)}`,
      evidence: evidenceOf(x, tls, root.dn, root.where),
    };
  },
);
