import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.token-refused',
    category: 'access',
    severity: 'warning',
    weight: 3,
    title: 'The token given with --token is refused',
    description:
      'A token meant to be good for every operation did not get a success: either it lacks what the operation needs (run why401 on that request for the cause), or the operation refuses everyone.',
    cites: [CITE.rfc9110_401, CITE.rfc9110_403],
    fixes: [
      {
        server: 'any',
        fix: 'diagnose the refused request: why401 <url> -H "Authorization: Bearer …" names the cause (audience, issuer, scope, clock)',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.valid;
    if (!isSecured(op) || ex?.status === undefined) return undefined;
    return is2xx(ex) ? PASS : fail(said(ex, 'WWW-Authenticate'));
  },
);
