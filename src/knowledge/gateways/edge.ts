import type { GatewayEntry, HeaderRule } from '../gateways.js';

/**
 * CDNs and WAFs at the edge: Cloudflare (WAF, bot challenges, Access), Akamai, Imperva
 * Incapsula, Sucuri, F5 BIG-IP ASM / NGINX App Protect and ModSecurity. Their block pages often
 * come with 403, sometimes with 200 (Incapsula) or 406 (ModSecurity): a block page is a block
 * page whatever the status.
 */

const CF_1XXX =
  'cloudflare/cloudflare-docs:src/content/docs/support/troubleshooting/cloudflare-errors/troubleshooting-cloudflare-1xxx-errors.mdx';
const CF_HEADERS: HeaderRule[] = [{ name: 'cf-ray' }, { name: 'server', value: /^cloudflare/i }];

function cloudflare(
  id: string,
  codes: string,
  explanation: string,
  fix: string,
  cause: GatewayEntry['cause'] = 'server.waf-blocked',
): GatewayEntry {
  return {
    id: `cloudflare.${id}`,
    producer: 'Cloudflare',
    kind: 'waf',
    match: { status: [403], body: new RegExp(`\\bError\\s*(?:${codes})\\b`) },
    support: { headers: CF_HEADERS },
    cause,
    explanation,
    fix,
    source: CF_1XXX,
  };
}

export const EDGE: readonly GatewayEntry[] = [
  {
    id: 'cloudflare.challenge',
    producer: 'Cloudflare (WAF or bot protection challenge)',
    kind: 'waf',
    match: { headers: [{ name: 'cf-mitigated', value: /^challenge$/i }] },
    support: { headers: [{ name: 'cf-ray' }] },
    cause: 'server.waf-blocked',
    explanation:
      'Cloudflare answered with a challenge page instead of forwarding the request (`cf-mitigated: challenge`): a WAF custom rule, Bot Fight Mode or Under Attack mode wants a browser to prove itself, which an API client cannot do.',
    fix: 'Skip challenges for API paths or API clients (a WAF skip rule on the path, a service token, or an allow rule for your client), rather than sending browser-like headers.',
    source:
      'https://developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response',
  },
  cloudflare(
    'firewall-rule',
    '1020',
    'Cloudflare\'s firewall blocked the request: a WAF custom rule (firewall rule) of the site matched it (error 1020, "Access denied").',
    'Give the site owner the Ray ID and time; they find the rule in Security > Events and adjust it or allow your client.',
  ),
  cloudflare(
    'ip-banned',
    '1006|1007|1008|1106',
    "Cloudflare refused the request because the site owner banned the client's IP address (IP Access Rules or Zone Lockdown).",
    'Ask the site owner to allow your IP address (mind NAT, VPN and cloud egress addresses), giving the Ray ID.',
  ),
  cloudflare(
    'country-banned',
    '1009',
    "Cloudflare refused the request because the site owner blocks the country or region of the client's IP address.",
    'Call from an allowed country (mind VPNs and egress proxies), or ask the site owner to allow this one.',
  ),
  cloudflare(
    'asn-banned',
    '1005',
    "Cloudflare refused the request because the site owner bans the network (ASN) of the client's IP address, typical for cloud and hosting providers.",
    'Call from another network, or ask the site owner to allow your ASN or address.',
  ),
  cloudflare(
    'browser-signature',
    '1010',
    "Cloudflare's Browser Integrity Check refused the client's signature (an HTTP library's default User-Agent and headers look like a bot).",
    'Ask the site owner to exempt API paths from Browser Integrity Check, or to give your client a skip rule.',
  ),
  cloudflare(
    'malicious-activity',
    '1012',
    'Cloudflare refused the request: the site owner blocks traffic flagged as malicious from this network or computer.',
    'Ask the site owner to allow your address, giving the Ray ID.',
  ),
  {
    ...cloudflare(
      'direct-ip-access',
      '1003',
      "Cloudflare refused the request because it was sent to a Cloudflare IP address instead of the site's host name.",
      'Call the site by its host name (and SNI), not by an IP address.',
      'url.wrong-endpoint',
    ),
    confidence: 'likely',
  },
  {
    // The WAF's own block page (managed rules, custom rules with the Block action):
    // no 1xxx code, only "Sorry, you have been blocked" under the title "Attention Required!".
    id: 'cloudflare.block-page',
    producer: 'Cloudflare',
    kind: 'waf',
    match: { status: [403], body: /\bSorry, you have been blocked\b/ },
    support: { headers: CF_HEADERS },
    cause: 'server.waf-blocked',
    explanation:
      'Cloudflare\'s WAF blocked the request with its block page ("Sorry, you have been blocked"): a managed rule or a custom rule of the site matched it, so the application never saw it.',
    fix: 'Give the site owner the Ray ID and time; they find the rule in Security > Events and adjust it or add a skip rule for your client.',
    source: 'https://developers.cloudflare.com/rules/custom-errors/reference/error-page-types/',
  },
  {
    id: 'cloudflare-access.sign-in-redirect',
    producer: 'Cloudflare Access',
    kind: 'identity-proxy',
    match: {
      status: [301, 302, 303, 307],
      headers: [
        { name: 'location', value: /^https:\/\/[^/]+\.cloudflareaccess\.com\/cdn-cgi\/access\/login\// },
      ],
    },
    support: { headers: [{ name: 'cf-ray' }] },
    cause: 'login.redirect',
    explanation:
      'Cloudflare Access sends the request to its sign-in page (`<team>.cloudflareaccess.com/cdn-cgi/access/login`): the request carried no valid Access session (`CF_Authorization` cookie) or service token, so the application never saw it.',
    fix: 'For scripts and APIs, create an Access service token and send `CF-Access-Client-Id` and `CF-Access-Client-Secret` (with a Service Auth policy on the application); browsers sign in.',
    source: 'https://developers.cloudflare.com/pages/functions/plugins/cloudflare-access/',
  },
  {
    id: 'akamai.access-denied',
    producer: 'Akamai (Kona Site Defender / edge rules)',
    kind: 'waf',
    match: {
      status: [403],
      body: /You don't have permission to access [^\n]*?server\.?\s*Reference #\d+(?:\.[0-9a-f]+)+/,
    },
    support: { headers: [{ name: 'server', value: /^AkamaiGHost/i }] },
    cause: 'server.waf-blocked',
    explanation:
      'Akamai\'s edge denied the request ("Access Denied … Reference #"): a WAF, bot manager or geographic / IP rule of the site matched it; the origin never saw it.',
    fix: "Give the site owner the reference number (it identifies the request in Akamai's logs) so they can find and adjust the rule.",
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/kona.py',
  },
  {
    id: 'imperva.incident',
    producer: 'Imperva Incapsula',
    kind: 'waf',
    match: { body: /Request unsuccessful\. Incapsula incident ID: [\d-]+/ },
    support: { headers: [{ name: 'x-iinfo' }, { name: 'x-cdn', value: /incapsula/i }] },
    cause: 'server.waf-blocked',
    explanation:
      "Imperva's WAF (Incapsula) blocked the request and served its incident page, sometimes with status 200; the origin never saw it.",
    fix: 'Give the site owner the incident ID so they can find the security rule and whitelist your client or adjust it.',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/incapsula.py',
  },
  {
    id: 'sucuri.blocked',
    producer: 'Sucuri Website Firewall',
    kind: 'waf',
    match: {
      status: [403],
      body: /Access Denied.{0,6}?Sucuri Website Firewall|Sucuri WebSite Firewall.{0,6}?(?:CloudProxy)?.{0,6}?Access Denied/i,
    },
    support: { headers: [{ name: 'x-sucuri-id' }, { name: 'x-sucuri-block' }] },
    cause: 'server.waf-blocked',
    explanation: "Sucuri's website firewall blocked the request before it reached the site.",
    fix: 'Ask the site owner to whitelist your IP address or adjust the Sucuri rule (the block page lists the block ID and your IP).',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/sucuri.py',
  },
  {
    id: 'sucuri.block-header',
    producer: 'Sucuri Website Firewall',
    kind: 'waf',
    match: { headers: [{ name: 'x-sucuri-block' }] },
    cause: 'server.waf-blocked',
    explanation: 'Sucuri marked this response as a block (`x-sucuri-block`).',
    fix: 'Ask the site owner to whitelist your client or adjust the Sucuri rule.',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/sucuri.py',
  },
  {
    id: 'f5.request-rejected',
    producer: 'F5 BIG-IP ASM / Advanced WAF (or NGINX App Protect)',
    kind: 'waf',
    match: { body: /The requested URL was rejected\. Please consult with your administrator\./ },
    cause: 'server.waf-blocked',
    explanation:
      'An F5 web application firewall (BIG-IP ASM / Advanced WAF, or NGINX App Protect, which uses the same page) rejected the request as a policy violation: an attack signature, an illegal header, parameter or file type, or a disallowed method.',
    fix: "Give the administrator the support ID from the page: it finds the violation in the WAF's request log so they can tune the policy.",
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/f5bigipasm.py',
  },
  {
    id: 'modsecurity.page',
    producer: 'ModSecurity',
    kind: 'waf',
    match: {
      body: /This error was generated by Mod_Security|rules of the mod_security module|mod_security rules triggered|Protected by Mod Security/i,
    },
    cause: 'server.waf-blocked',
    explanation:
      'ModSecurity (often with the OWASP Core Rule Set) blocked the request: a rule matched something in it, for example the token, a parameter or the body.',
    fix: 'Ask whoever runs the server to look up the request in the ModSecurity audit log and add a rule exclusion.',
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/modsecurity.py',
  },
];
