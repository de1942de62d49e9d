import { PASS, apiRule, fail } from './rule.js';

/** Loopback targets are a developer's own machine: plain HTTP there is no finding. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1';
}

export default apiRule(
  {
    id: 'audit.https-missing',
    category: 'transport',
    severity: 'error',
    weight: 6,
    title: 'The API is served over plain HTTP',
    description:
      'Bearer tokens sent over plain HTTP can be read and replayed by anyone on the path; RFC 6750 requires TLS.',
    cites: [{ spec: 'RFC 6750', section: '§5.3', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-5.3' }],
    fixes: [
      { server: 'any', fix: 'serve the API over HTTPS only, and redirect or refuse plain HTTP at the edge' },
    ],
  },
  (api) => {
    const u = new URL(api.baseUrl);
    if (u.protocol === 'https:') return PASS;
    if (isLoopback(u.hostname)) return undefined;
    return fail(`the base URL is ${u.origin}`);
  },
);
