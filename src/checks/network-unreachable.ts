import { dnAttr, matchInterceptor } from '../knowledge/tls-interceptors.js';
import type { CertInfo, Exchange, TlsInfo } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { probeName } from './cite.js';
import { chainRoot, hostOf } from './network-tls-intercepted.js';

const PHASE_TITLE: Record<string, string> = {
  dns: 'The host name does not resolve',
  connect: 'The server could not be reached',
  tls: 'The TLS connection failed',
  timeout: 'The server did not answer in time',
  protocol: 'The server answered with something that is not valid HTTP',
  aborted: 'The request was cut off by the time limit',
};

const DAY = 86_400_000;

/** "57 days", "5 hours", "12 minutes". */
export function span(ms: number): string {
  const a = Math.abs(ms);
  const [n, unit] =
    a >= 2 * DAY
      ? [Math.round(a / DAY), 'day']
      : a >= 7_200_000
        ? [Math.round(a / 3_600_000), 'hour']
        : [Math.max(1, Math.round(a / 60_000)), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "2026-10-01 00:00 UTC" from an ISO date; the input itself when it does not parse. */
export function day(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The DNS names and IP addresses a certificate is for (subjectAltName, else the CN). */
export function namesOf(c: CertInfo): string[] {
  const sans = (c.subjectAltNames ?? [])
    .map((s) => s.replace(/^(?:DNS|IP Address|IP):/i, '').trim())
    .filter((s) => s !== '');
  if (sans.length > 0) return sans;
  const cn = dnAttr(c.subject, 'CN');
  return cn ? [cn] : [];
}

/** RFC 6125 §6.4: exact, or a wildcard in the left-most label only. */
export function nameCovers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  if (!n.startsWith('*.')) return false;
  const rest = n.slice(2);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}

interface TlsStory {
  title: string;
  detail: string;
  fix: string;
  evidence: EvidenceItem[];
}

function cite(x: Exchange, where: string, value: string): EvidenceItem {
  return { probe: probeName(x), where: `tls.${where}`, value };
}

/**
 * The certificate facts behind a TLS failure, when the probe read the chain (`x.tls`): which
 * certificate, which dates, which names, which root. Undefined when the code is not one of these.
 */
function tlsStory(x: Exchange, tls: TlsInfo, now: number): TlsStory | undefined {
  const host = hostOf(x.request.url);
  const codes = [x.error?.code, tls.authorizationError].filter((c): c is string => !!c);
  const has = (...c: string[]) => codes.some((k) => c.includes(k));
  const leaf = tls.chain[0];
  if (!leaf) return undefined;
  const name = (c: CertInfo) => dnAttr(c.subject, 'CN') ?? c.subject;

  if (has('CERT_HAS_EXPIRED')) {
    const i = Math.max(
      0,
      tls.chain.findIndex((c) => Date.parse(c.validTo) < now),
    );
    const c = tls.chain[i]!;
    const which = i === 0 ? 'The server certificate' : `Certificate ${i} of the chain ("${name(c)}")`;
    const to = Date.parse(c.validTo);
    const ago = Number.isNaN(to) ? '' : ` ${span(now - to)} ago`;
    return {
      title: `The TLS certificate of ${host} expired${ago}`,
      detail: `${which} was valid until ${day(c.validTo)}${ago ? `,${ago}` : ''}. Clients refuse an expired certificate.`,
      fix: `The server's owner must renew the certificate. If this machine's clock is wrong, correct it. -k skips the check, for a test only.`,
      evidence: [cite(x, `chain[${i}].validTo`, c.validTo)],
    };
  }
  if (has('CERT_NOT_YET_VALID')) {
    const i = Math.max(
      0,
      tls.chain.findIndex((c) => Date.parse(c.validFrom) > now),
    );
    const c = tls.chain[i]!;
    const from = Date.parse(c.validFrom);
    return {
      title: `The TLS certificate of ${host} is not valid yet`,
      detail: `${i === 0 ? 'The server certificate' : `Certificate ${i} of the chain`} is valid from ${day(c.validFrom)}${Number.isNaN(from) ? '' : `, ${span(from - now)} from now by this machine's clock`}. Either this machine's clock is behind, or the certificate was issued with a future start date.`,
      fix: `Check this machine's date and time (and time zone); if they are right, the server's owner must fix the certificate.`,
      evidence: [cite(x, `chain[${i}].validFrom`, c.validFrom)],
    };
  }
  if (has('ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH')) {
    const names = namesOf(leaf);
    return {
      title: `The TLS certificate is not valid for ${host}`,
      detail: `The server presented a certificate for ${names.length ? names.join(', ') : `"${leaf.subject}"`}${names.some((n) => nameCovers(n, host)) ? '' : `, none of which is ${host}`}. The URL's host may be wrong (another environment, an alias, an IP address), or the server's certificate does not list this name.`,
      fix: `Call the API by a name the certificate covers${names[0] ? ` (${names[0]})` : ''}, or the server's owner must add ${host} to the certificate.`,
      evidence: [cite(x, 'chain[0].subjectAltNames', names.join(', ') || leaf.subject)],
    };
  }
  if (has('DEPTH_ZERO_SELF_SIGNED_CERT') || (tls.chain.length === 1 && leaf.selfSigned && !tls.authorized)) {
    return {
      title: `The TLS certificate of ${host} is self-signed`,
      detail: `The server signs its own certificate ("${leaf.subject}"): no CA vouches for it, so Node refuses it. This is usual for development and internal servers.`,
      fix: `If you trust this server, pass its certificate with \`--cacert server.pem\` (NODE_EXTRA_CA_CERTS for Node apps). -k skips verification altogether: for testing only, never with real credentials.`,
      evidence: [cite(x, 'chain[0].subject', leaf.subject)],
    };
  }
  if (
    has(
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    )
  ) {
    const root = chainRoot(tls);
    const product = matchInterceptor(tls.chain, host);
    const incomplete = has('UNABLE_TO_VERIFY_LEAF_SIGNATURE') && tls.chain.length === 1;
    const by = root ? `"${root.dn}"` : 'an unknown CA';
    return {
      title: product
        ? `The TLS certificate of ${host} was issued by ${product.product}, which this machine does not trust`
        : `The TLS certificate of ${host} is issued by a CA this machine does not trust`,
      detail: `The chain ends at ${by}${root ? ` (${root.where})` : ''}, which is not in Node's list of trusted CAs${tls.authorizationError ? ` (${tls.authorizationError})` : ''}.${
        product
          ? ` That is ${product.product}'s CA: the connection is intercepted (see network.tls-intercepted).`
          : incomplete
            ? ' The server sent only its own certificate: either it leaves out the intermediate certificates it must send, or its CA is private.'
            : ' Either the server uses a private CA, or something on the way re-signs TLS.'
      }`,
      fix: product
        ? `Your network or machine inspects TLS (${product.product}): have ${host} exempted from inspection, or trust its root CA for this tool (\`--cacert company-root.pem\`; NODE_EXTRA_CA_CERTS for Node apps).`
        : incomplete
          ? `If the CA is private, pass it with \`--cacert ca.pem\` (NODE_EXTRA_CA_CERTS for Node apps); if it is public, the server must send its intermediate certificates.`
          : `Pass the CA certificate with \`--cacert ca.pem\` (NODE_EXTRA_CA_CERTS for Node apps) once you know whose it is; -k skips verification, for testing only.`,
      evidence: root ? [cite(x, root.where, root.dn)] : [],
    };
  }
  return undefined;
}

/** Not an auth problem at all: nothing answered, so nothing was refused. */
export default defineCheck(
  {
    id: 'network.unreachable',
    plain: 'The site could not be reached from this computer',
    directness: 0,
    step: 5,
    kind: 'cause',
    title: 'The server could not be reached',
    fix: 'Check the host name, port and scheme, your network (VPN, proxy, firewall) and, for TLS errors, the certificate; -k accepts a self-signed certificate for a test.',
  },
  (f) => {
    const x = f.final;
    if (!x?.error || x.error.phase === 'refused-by-tool') return;
    let host = x.request.url;
    try {
      host = new URL(x.request.url).host;
    } catch {
      // keep the URL as given
    }
    const evidence: EvidenceItem[] = [
      { probe: probeName(x), where: `error.${x.error.phase}`, value: x.error.code },
    ];
    // The answer came and then broke off: its status and headers are read by the other checks;
    // what is missing is the rest of the body, which is the transport's failure, not an auth one.
    if (x.error.phase === 'body' && x.response) {
      return {
        confidence: 'confirmed',
        title: `The response broke off: ${x.error.message}`,
        detail: `${host} answered ${x.response.status} with its headers, then the body broke off (${x.error.message}). The status and headers are evidence like any other; of the body, only what arrived is read.`,
        fix: /^BODY_(CLOSED|STALLED)$/.test(x.error.code)
          ? 'The server (or a proxy or load balancer in front of it) ends its answers early: look in its logs for an error or a timeout at the time of this request, and retry.'
          : 'The time limit of the run (-m) ended the body: allow more time (-m 60), or find out why the server sends it so slowly.',
        evidence,
      };
    }
    const story = x.error.phase === 'tls' && x.tls ? tlsStory(x, x.tls, f.ev.now) : undefined;
    if (story) {
      return {
        confidence: 'confirmed',
        title: story.title,
        detail: `${story.detail} No HTTP was exchanged, so no server judged the credentials (Node: ${x.error.message}).`,
        fix: story.fix,
        evidence: [...evidence, ...story.evidence],
      };
    }
    return {
      confidence: 'confirmed',
      title: `${PHASE_TITLE[x.error.phase] ?? 'The request failed'}: ${host}`,
      detail: `${x.error.message}. This is not an authentication problem: no server refused the credentials.`,
      evidence,
    };
  },
);
