import { headerValues } from '../model/http.js';
import { defineCheck } from './check.js';
import { responseStatus } from './cite.js';

/** RFC 9110 §15.5.2: "The server generating a 401 response MUST send a WWW-Authenticate header field". */
export default defineCheck(
  {
    id: 'server.challenge-missing',
    plain: 'The site refused without saying how to sign in (it sent no sign-in instructions)',
    step: 4,
    kind: 'warning',
    title: 'The 401 carries no WWW-Authenticate header',
    fix: 'Send a challenge with every 401, e.g. `WWW-Authenticate: Bearer realm="api", error="invalid_token"`, so clients can tell what is expected.',
    ref: 'RFC 9110 §15.5.2, §11.6.1',
  },
  (f) => {
    if (!f.final || f.status !== 401 || !f.response) return;
    if (headerValues(f.response.headers, 'www-authenticate').length > 0) return;
    return {
      confidence: 'confirmed',
      detail:
        'RFC 9110 requires a challenge on every 401; without it a client cannot tell which scheme, realm or scope the server wants.',
      evidence: [responseStatus(f.final)],
    };
  },
);
