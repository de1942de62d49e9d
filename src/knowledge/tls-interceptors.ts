import type { CertInfo } from '../model/evidence.js';

/**
 * Products that decrypt TLS on the way (corporate secure web gateways and firewalls, antivirus
 * "web shields", debugging proxies), recognisable by the names in the CA certificates they sign
 * with. Platform-neutral data plus a pure matcher; `network.tls-intercepted` names the product.
 *
 * How sure each string is, per rule:
 * - `documented`: read in the product's own documentation or source code;
 * - `observed`: seen on a real certificate in a public report (issue, CT-log submission, error
 *   output) that is cited;
 * - `unverified`: the vendor's name in a field where the product is likely to put it, but no
 *   shipped default was found. Appliances whose CA the administrator creates and names (PAN-OS
 *   "Forward Trust", Check Point, Forcepoint, Barracuda, Blue Coat, Cisco Firepower) have no
 *   fixed string at all; an organisation's own naming is caught by the check's "unknown root"
 *   path instead. A match on an unverified rule is reported as likely, never as confirmed.
 *
 * Not listed: Microsoft Entra Internet Access (Global Secure Access) TLS inspection signs with an
 * intermediate the customer creates from a CSR, naming its CN and OU themselves
 * (MicrosoftDocs/entra-docs: docs/global-secure-access/how-to-transport-layer-security.md), so
 * there is no Microsoft string to match.
 *
 * Only CA names are matched: the issuer of every certificate and the subject of every
 * certificate but the leaf. A leaf's subject is the site's (an interceptor copies it from the
 * real certificate), so "O=Zscaler, Inc." on zscaler.com's own leaf says nothing.
 */

export type Certainty = 'documented' | 'observed' | 'unverified';

export interface InterceptorRule {
  /** Attribute of a distinguished name. */
  attr: 'CN' | 'O' | 'OU';
  /** Tested against the attribute's value. */
  value: RegExp;
  /** The string as the product ships it (or as the rule expects it), used by the tests. */
  example: string;
  certainty: Certainty;
}

export interface InterceptorEntry {
  id: string;
  /** As a person would name it: "Zscaler", "Fortinet FortiGate". */
  product: string;
  kind: 'corporate' | 'antivirus' | 'debugging-proxy';
  rules: InterceptorRule[];
  /** Hosts under these domains may be served by the vendor's own CA: no interception claim there. */
  vendorDomains?: string[];
  /** Where the strings were read: a URL or `owner/repo:path`. */
  source: string;
}

export interface InterceptorMatch {
  id: string;
  product: string;
  kind: InterceptorEntry['kind'];
  /** The distinguished name that matched, as it appears in the chain. */
  matched: string;
  /** Where in the chain: `chain[1].subject`, `chain[0].issuer`. */
  where: string;
  certainty: Certainty;
  source: string;
}

const r = (
  attr: InterceptorRule['attr'],
  value: RegExp,
  example: string,
  certainty: Certainty,
): InterceptorRule => ({
  attr,
  value,
  example,
  certainty,
});

export const TLS_INTERCEPTORS: readonly InterceptorEntry[] = [
  // --- corporate secure web gateways and firewalls ------------------------------------------
  {
    id: 'zscaler',
    product: 'Zscaler',
    kind: 'corporate',
    rules: [
      // Root: C=US, ST=California, L=San Jose, O=Zscaler Inc., OU=Zscaler Inc., CN=Zscaler Root CA,
      // emailAddress=support@zscaler.com. Intermediates: "Zscaler Intermediate Root CA (zscaler.net)".
      r('O', /^Zscaler,? Inc\.?$/i, 'Zscaler Inc.', 'observed'),
      r('CN', /^Zscaler (?:Root CA|Intermediate Root CA)\b/i, 'Zscaler Root CA', 'observed'),
    ],
    vendorDomains: ['zscaler.com', 'zscaler.net', 'zscalertwo.net'],
    source: 'https://github.com/sectigo/CTLogs/pull/57 (the root certificate, in full)',
  },
  {
    id: 'netskope',
    product: 'Netskope',
    kind: 'corporate',
    rules: [
      r('O', /^Netskope,? Inc\.?$/i, 'Netskope Inc.', 'observed'),
      // Tenant CAs are commonly named after the tenant's goskope.com host; no default seen.
      r('CN', /\.goskope\.com$/i, 'ca.example-tenant.goskope.com', 'unverified'),
    ],
    vendorDomains: ['netskope.com', 'goskope.com'],
    source:
      'https://github.com/D4-project/Plum-Island/issues/41 (a Netskope CA: O=Netskope Inc.); https://docs.netskope.com/en/certificates.html',
  },
  {
    id: 'palo-alto',
    product: 'Palo Alto Networks (PAN-OS decryption)',
    kind: 'corporate',
    rules: [
      // The Forward Trust / Forward Untrust CAs are generated or imported by the administrator,
      // under names of their choosing; the appliance's self-generated certificates carry
      // O=Palo Alto Networks (seen on a management certificate).
      r('O', /^Palo Alto Networks\b/i, 'Palo Alto Networks', 'unverified'),
      r('CN', /\bforward[ _-]?(?:un)?trust\b/i, 'Forward-Trust-CA', 'unverified'),
    ],
    vendorDomains: ['paloaltonetworks.com'],
    source:
      'https://www.pulumi.com/registry/packages/panos/api-docs/ssldecrypt (forward_trust_certificate_rsa: a certificate the administrator chooses)',
  },
  {
    id: 'fortinet',
    product: 'Fortinet FortiGate',
    kind: 'corporate',
    rules: [
      // Default Fortinet_CA_SSL / Fortinet_CA_SSLProxy: C=US, ST=California, L=Sunnyvale,
      // O=Fortinet, OU=Certificate Authority, CN=FortiGate CA, emailAddress=support@fortinet.com.
      r('CN', /^FortiGate CA$/i, 'FortiGate CA', 'documented'),
      r('O', /^Fortinet$/i, 'Fortinet', 'documented'),
      r('O', /^Fortinet,? Ltd\.?$/i, 'Fortinet Ltd.', 'unverified'),
    ],
    vendorDomains: ['fortinet.com', 'forticloud.com', 'fortiguard.com'],
    source:
      'https://community.fortinet.com/t5/FortiCache/How-to-Regenerate-the-Fortinet-CA-SSLProxy-CA-certificate-used/ta-p/198478',
  },
  {
    id: 'bluecoat',
    product: 'Blue Coat / Symantec ProxySG',
    kind: 'corporate',
    rules: [
      r('O', /\bBlue ?Coat\b/i, 'Blue Coat Systems, Inc.', 'unverified'),
      r('CN', /\bBlue ?Coat\b|\bProxySG\b/i, 'Blue Coat ProxySG CA', 'unverified'),
    ],
    vendorDomains: ['bluecoat.com'],
    source:
      'https://knowledge.broadcom.com/external/article/165702/downloadable-ca-list-feature.html (SSL interception; the signing CA is configured on the appliance)',
  },
  {
    id: 'cisco-umbrella',
    product: 'Cisco Umbrella',
    kind: 'corporate',
    rules: [
      // Root O=Cisco, CN=Cisco Umbrella Root CA; issuing CN=Cisco Umbrella Primary SubCA, O=Cisco.
      r(
        'CN',
        /^Cisco Umbrella (?:Root CA|Primary SubCA|Secondary SubCA)\b/i,
        'Cisco Umbrella Root CA',
        'documented',
      ),
    ],
    vendorDomains: ['umbrella.com', 'opendns.com'],
    source: 'https://docs.umbrella.com/deployment-umbrella/docs/rebrand-cisco-certificate-import-information',
  },
  {
    id: 'cisco-wsa',
    product: 'Cisco Secure Web Appliance (WSA)',
    kind: 'corporate',
    rules: [
      // The root is the organisation's own; only when the real server's certificate is invalid
      // does AsyncOS sign with a fixed name, "Untrusted Certificate Warning".
      r('CN', /^Untrusted Certificate Warning$/i, 'Untrusted Certificate Warning', 'documented'),
    ],
    source:
      'Cisco AsyncOS for Web User Guide, "Untrusted Certificate Warnings for Decrypted Connections" (https://manualsbrain.com/en/manuals/1622813/?page=193)',
  },
  {
    id: 'sophos',
    product: 'Sophos Firewall / UTM',
    kind: 'corporate',
    rules: [
      // The built-in signing CA is the object SecurityAppliance_SSL_CA; its subject fields are
      // set on the appliance.
      r('CN', /\bSecurityAppliance_SSL_CA\b|^Sophos SSL CA\b/i, 'SecurityAppliance_SSL_CA', 'unverified'),
      r('O', /^Sophos\b/i, 'Sophos', 'unverified'),
    ],
    vendorDomains: ['sophos.com'],
    source:
      'https://docs.sophos.com/nsg/sophos-firewall/20.0/help/en-us/webhelp/onlinehelp/AdministratorHelp/Certificates/CertificateAuthorities/index.html',
  },
  {
    id: 'forcepoint',
    product: 'Forcepoint / Websense',
    kind: 'corporate',
    rules: [r('O', /\b(?:Forcepoint|Websense)\b/i, 'Forcepoint LLC', 'unverified')],
    vendorDomains: ['forcepoint.com', 'websense.com'],
    source: 'no default CA name found; vendor name in O= (unverified)',
  },
  {
    id: 'checkpoint',
    product: 'Check Point (HTTPS Inspection)',
    kind: 'corporate',
    rules: [r('O', /\bCheck ?Point\b/i, 'Check Point Software Technologies', 'unverified')],
    vendorDomains: ['checkpoint.com'],
    source:
      'https://supportcenter.checkpoint.com/supportcenter/portal?eventSubmit_doGoviewsolutiondetails=&solutionid=sk65123 (the outbound CA is created on the gateway)',
  },
  {
    id: 'barracuda',
    product: 'Barracuda Web Security Gateway / CloudGen Firewall',
    kind: 'corporate',
    rules: [r('O', /\bBarracuda\b/i, 'Barracuda Networks', 'unverified')],
    vendorDomains: ['barracuda.com', 'barracudanetworks.com'],
    source: 'no default CA name found; vendor name in O= (unverified)',
  },
  {
    id: 'mcafee-skyhigh',
    product: 'McAfee / Skyhigh Secure Web Gateway',
    kind: 'corporate',
    rules: [
      r('O', /\b(?:McAfee|Skyhigh)\b/i, 'McAfee, Inc.', 'unverified'),
      r('CN', /\b(?:McAfee|Skyhigh)\b.*\b(?:Gateway|CA)\b/i, 'McAfee Web Gateway', 'unverified'),
    ],
    vendorDomains: ['mcafee.com', 'skyhighsecurity.com'],
    source:
      'https://kc.mcafee.com/corporate/index?page=content&id=KB89292 (a default root CA ships with Web Gateway; its name was not found)',
  },

  // --- antivirus web shields ------------------------------------------------------------------
  {
    id: 'kaspersky',
    product: 'Kaspersky',
    kind: 'antivirus',
    rules: [
      // O=AO Kaspersky Lab, CN=Kaspersky Web Anti-Virus Certification Authority; newer versions
      // "Kaspersky Anti-Virus Personal Root Certificate".
      r('O', /\bKaspersky Lab\b/i, 'AO Kaspersky Lab', 'observed'),
      r(
        'CN',
        /^Kaspersky (?:Web )?Anti-Virus\b/i,
        'Kaspersky Web Anti-Virus Certification Authority',
        'observed',
      ),
    ],
    vendorDomains: ['kaspersky.com', 'kaspersky.ru'],
    source: 'https://github.com/keybase/client/issues/7228',
  },
  {
    id: 'eset',
    product: 'ESET (SSL/TLS protocol filtering)',
    kind: 'antivirus',
    rules: [
      r('CN', /^ESET SSL Filter CA$/i, 'ESET SSL Filter CA', 'observed'),
      r('O', /^ESET,? spol\. s ?r\. ?o\.$/i, 'ESET, spol. s r. o.', 'observed'),
    ],
    vendorDomains: ['eset.com'],
    source:
      'https://github.com/the-last-byte/ESET-NPM-Breakage-Fix (README: CN=ESET SSL Filter CA); keytool output "C=SK, O=\\"ESET, spol. s r. o.\\", CN=ESET SSL Filter CA" in public notes',
  },
  {
    id: 'avast',
    product: 'Avast Web/Mail Shield',
    kind: 'antivirus',
    rules: [
      // OU=generated by Avast Antivirus for SSL/TLS scanning, O=Avast Web/Mail Shield, CN=Avast Web/Mail Shield Root
      r('CN', /^Avast Web\/Mail Shield\b/i, 'Avast Web/Mail Shield Root', 'observed'),
      r('O', /^Avast Web\/Mail Shield$/i, 'Avast Web/Mail Shield', 'observed'),
      r(
        'OU',
        /^generated by Avast Antivirus\b/i,
        'generated by Avast Antivirus for SSL/TLS scanning',
        'observed',
      ),
    ],
    vendorDomains: ['avast.com'],
    source: 'https://github.com/mscdex/node-imap/issues/741',
  },
  {
    id: 'avg',
    product: 'AVG Web/Mail Shield',
    kind: 'antivirus',
    rules: [
      r('CN', /^AVG Web\/Mail Shield\b/i, 'AVG Web/Mail Shield Root', 'observed'),
      r(
        'OU',
        /^generated by AVG Antivirus\b/i,
        'generated by AVG Antivirus for SSL/TLS scanning',
        'observed',
      ),
    ],
    vendorDomains: ['avg.com'],
    source:
      'https://github.com/curl/curl/issues/11268 (AVG Web Shield breaks curl); "CN=AVG Web/Mail Shield Root … generated by AVG Antivirus for SSL/TLS scanning" quoted in public project notes',
  },
  {
    id: 'bitdefender',
    product: 'Bitdefender (encrypted web scan)',
    kind: 'antivirus',
    rules: [
      r('CN', /^Bitdefender Personal CA\b/i, 'Bitdefender Personal CA.Net-Defender', 'unverified'),
      r('O', /^Bitdefender\b/i, 'Bitdefender', 'unverified'),
    ],
    vendorDomains: ['bitdefender.com', 'bitdefender.net'],
    source:
      'CN as listed by other interception detectors (not seen on a certificate here); https://github.com/SafeExamBrowser/seb-win/issues/62 (Bitdefender re-signs HTTPS)',
  },

  // --- debugging proxies ----------------------------------------------------------------------
  {
    id: 'mitmproxy',
    product: 'mitmproxy',
    kind: 'debugging-proxy',
    rules: [
      // CertStore.create_store(path, basename="mitmproxy"): organization = cn = basename.
      r('CN', /^mitmproxy$/i, 'mitmproxy', 'documented'),
      r('O', /^mitmproxy$/i, 'mitmproxy', 'documented'),
    ],
    source: 'mitmproxy/mitmproxy:mitmproxy/certs.py (create_ca, CertStore.create_store)',
  },
  {
    id: 'charles',
    product: 'Charles Proxy',
    kind: 'debugging-proxy',
    rules: [
      // C=NZ, ST=Auckland, L=Auckland, O=XK72 Ltd, OU=https://charlesproxy.com/ssl,
      // CN=Charles Proxy CA (4 Sep 2018, host); newer: "Charles Proxy Custom Root Certificate (built on HOST, DATE)".
      r('O', /^XK72 Ltd$/i, 'XK72 Ltd', 'observed'),
      r(
        'CN',
        /^Charles Proxy (?:CA|Custom Root Certificate)\b/i,
        'Charles Proxy CA (4 Sep 2018, bogon)',
        'observed',
      ),
      r('OU', /charlesproxy\.com\/ssl/i, 'https://charlesproxy.com/ssl', 'observed'),
    ],
    vendorDomains: ['charlesproxy.com'],
    source:
      'https://github.com/leedium/occ-react-component/issues/49 ("Charles Proxy Custom Root Certificate (built on …)"); O=XK72 Ltd, CN=Charles Proxy CA (…) in public certificate-pinning notes',
  },
  {
    id: 'fiddler',
    product: 'Fiddler',
    kind: 'debugging-proxy',
    rules: [
      // Fiddler Classic / FiddlerCore: CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST, OU=Created by http://www.fiddler2.com
      r('CN', /^DO_NOT_TRUST_Fiddler/i, 'DO_NOT_TRUST_FiddlerRoot', 'documented'),
      r('O', /^DO_NOT_TRUST\b/i, 'DO_NOT_TRUST', 'documented'),
      r(
        'OU',
        /^Created by http:\/\/www\.fiddler2\.com$/i,
        'Created by http://www.fiddler2.com',
        'documented',
      ),
      // Fiddler Everywhere: CN=Fiddler Root Certificate Authority, O=Progress Telerik Fiddler
      r('CN', /^Fiddler Root Certificate Authority$/i, 'Fiddler Root Certificate Authority', 'observed'),
      r('O', /^Progress Telerik Fiddler$/i, 'Progress Telerik Fiddler', 'observed'),
    ],
    source:
      'FiddlerCore CONFIG.sMakeCertRootCN / sMakeCertSubjectO (decompiled, quoted in vcsjones/FiddlerCertGen); https://github.com/telerik/fiddler-everywhere-docs/pull/359',
  },
  {
    id: 'burp',
    product: 'Burp Suite',
    kind: 'debugging-proxy',
    rules: [
      // C=PortSwigger, ST=PortSwigger, L=PortSwigger, O=PortSwigger, OU=PortSwigger CA, CN=PortSwigger CA
      r('CN', /^PortSwigger CA$/i, 'PortSwigger CA', 'observed'),
      r('O', /^PortSwigger$/i, 'PortSwigger', 'observed'),
    ],
    vendorDomains: ['portswigger.net'],
    source: 'https://github.com/mitmproxy/mitmproxy/issues/4713',
  },
  {
    id: 'proxyman',
    product: 'Proxyman',
    kind: 'debugging-proxy',
    rules: [
      // ST=Delaware, CN="Proxyman CA (…)", O=Proxyman LLC, L=Wilmington, C=US
      r('CN', /^Proxyman CA\b/i, 'Proxyman CA (1 Jan 2025, host)', 'observed'),
      r('O', /^Proxyman (?:LLC|Inc\.?)$/i, 'Proxyman LLC', 'observed'),
    ],
    vendorDomains: ['proxyman.io', 'proxyman.com'],
    source: 'https://github.com/ProxymanApp/Proxyman/issues/2505',
  },
  {
    id: 'httptoolkit',
    product: 'HTTP Toolkit',
    kind: 'debugging-proxy',
    rules: [r('CN', /^HTTP Toolkit CA$/i, 'HTTP Toolkit CA', 'documented')],
    vendorDomains: ['httptoolkit.com', 'httptoolkit.tech'],
    source:
      "httptoolkit/httptoolkit-server:src/index.ts (generateCACertificate({ commonName: 'HTTP Toolkit CA' }))",
  },
];

/**
 * Splits a one-line distinguished name ("CN=a\, b, O=c") into attribute/value pairs,
 * undoing RFC 4514 backslash escapes. Lenient: a part without `=` is skipped.
 */
export function parseDn(dn: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let cur = '';
  const flush = () => {
    const i = cur.search(/(?<!\\)=/);
    if (i > 0) {
      const attr = cur.slice(0, i).trim();
      const value = cur
        .slice(i + 1)
        .replace(/^\s+/, '')
        .replace(/(?<!\\)\s+$/, '')
        .replace(/\\(.)/g, '$1');
      out.push([attr, value]);
    }
    cur = '';
  };
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\' && i + 1 < dn.length) {
      cur += ch + dn[i + 1];
      i++;
    } else if (ch === ',' || ch === '+') {
      flush();
    } else {
      cur += ch;
    }
  }
  flush();
  return out;
}

/** The value of one attribute (the first), or undefined. */
export function dnAttr(dn: string, attr: string): string | undefined {
  const a = attr.toUpperCase();
  return parseDn(dn).find(([k]) => k.toUpperCase() === a)?.[1];
}

function underDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === domain || h.endsWith(`.${domain}`);
}

const RANK: Record<Certainty, number> = { documented: 0, observed: 1, unverified: 2 };

/**
 * The interception product whose CA signed the chain, or undefined. Among several matches the
 * most certain rule wins, then the entry listed first. `host` (the request's) turns off entries
 * whose own domains it belongs to.
 */
export function matchInterceptor(chain: readonly CertInfo[], host?: string): InterceptorMatch | undefined {
  // The CA names of the chain: every issuer, and every subject but the leaf's.
  const names: Array<{ dn: string; where: string }> = [];
  chain.forEach((c, i) => {
    if (i > 0) names.push({ dn: c.subject, where: `chain[${i}].subject` });
    names.push({ dn: c.issuer, where: `chain[${i}].issuer` });
  });
  const parsed = names.map((n) => ({ ...n, attrs: parseDn(n.dn) }));
  let best: InterceptorMatch | undefined;
  for (const entry of TLS_INTERCEPTORS) {
    if (host && entry.vendorDomains?.some((d) => underDomain(host, d))) continue;
    for (const rule of entry.rules) {
      if (best && RANK[rule.certainty] >= RANK[best.certainty]) continue;
      const hit = parsed.find((n) =>
        n.attrs.some(([k, v]) => k.toUpperCase() === rule.attr && rule.value.test(v)),
      );
      if (!hit) continue;
      best = {
        id: entry.id,
        product: entry.product,
        kind: entry.kind,
        matched: hit.dn,
        where: hit.where,
        certainty: rule.certainty,
        source: entry.source,
      };
    }
  }
  return best;
}
