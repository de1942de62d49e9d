import { errorAnswers, isHtml, isStructured } from './error-body.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { challenges, said } from './util.js';

export default operationRule(
  {
    id: 'audit.error-body-unstructured',
    category: 'errors',
    severity: 'warning',
    weight: 2,
    title: 'An error answer a program cannot read',
    description:
      'An error body in plain text (or an empty one with no challenge either) leaves clients to guess; problem+json (RFC 9457) or a JSON body with an RFC 6750 error code says what went wrong.',
    cites: [CITE.rfc9457, CITE.rfc6750_errors],
    fixes: [
      {
        server: 'any',
        fix: 'answer Content-Type: application/problem+json with {"type":"about:blank","title":"Unauthorized","status":401,"detail":"the token expired"}',
      },
    ],
  },
  (op) => {
    // HTML pages are audit.error-body-html's.
    const errs = errorAnswers(op).filter((ex) => !isHtml(ex));
    if (errs.length === 0) return undefined;
    const bad = errs.filter((ex) =>
      ex.body.trim() === '' ? challenges(ex).length === 0 : !isStructured(ex),
    );
    return bad.length ? fail(...bad.map((ex) => said(ex, 'Content-Type'))) : PASS;
  },
);
