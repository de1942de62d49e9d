import { CITE, PASS, fail, operationRule } from './rule.js';
import { isRefusal, said } from './util.js';

export default operationRule(
  {
    id: 'audit.documented-open-refuses',
    category: 'access',
    severity: 'warning',
    weight: 2,
    title: 'An operation documented as open refuses anonymous callers',
    description:
      'The document says no credentials are needed here, but the server asks for them: clients generated from the document will fail.',
    cites: [CITE.openapiSecurity],
    fixes: [
      {
        server: 'any',
        fix: 'declare the security requirement on the operation (security: [{ bearerAuth: [] }]), or open the route on the server',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.anonymous;
    if (!op.operation.documentedOpen || ex?.status === undefined) return undefined;
    return isRefusal(ex) ? fail(said(ex)) : PASS;
  },
);
