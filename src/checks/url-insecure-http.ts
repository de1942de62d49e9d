import { defineCheck } from './check.js';
import { requestUrl } from './cite.js';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/** RFC 6750 §5.3 and RFC 7617 §4: bearer tokens and passwords must only travel over TLS. */
export default defineCheck(
  {
    id: 'url.insecure-http',
    plain: 'The address starts with http:// instead of https://, so the sign-in details travel unprotected',
    directness: 4,
    step: 1,
    kind: 'warning',
    title: 'Credentials were sent over plain http',
    fix: 'Use https:// — anyone on the path can read and replay these credentials; many APIs also refuse them on http.',
    ref: 'RFC 6750 §5.3; RFC 7617 §4',
  },
  (f) => {
    if (f.credentials.length === 0) return;
    const hop = f.main.find((x) => {
      try {
        const u = new URL(x.request.url);
        return (
          u.protocol === 'http:' && !LOOPBACK.test(u.hostname) && !x.droppedHeaders?.includes('authorization')
        );
      } catch {
        return false;
      }
    });
    if (!hop) return;
    return { confidence: 'confirmed', evidence: [requestUrl(hop)] };
  },
);
