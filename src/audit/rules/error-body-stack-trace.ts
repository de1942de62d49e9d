import { errorAnswers, hasStackTrace } from './error-body.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { said } from './util.js';

export default operationRule(
  {
    id: 'audit.error-body-stack-trace',
    category: 'errors',
    severity: 'error',
    weight: 5,
    title: 'An error answer shows a stack trace',
    description:
      'A stack trace tells an attacker the framework, its version and the code paths, and tells the API client nothing it can act on.',
    cites: [CITE.rfc9457, CITE.owaspApi2],
    fixes: [
      {
        server: 'Express',
        fix: "set NODE_ENV=production and answer errors in your own handler (Express's default handler prints err.stack outside production)",
      },
      {
        server: 'Fastify',
        fix: 'in setErrorHandler, answer { title, status } only; never reply.send(err) with the stack',
      },
      { server: 'Django / Flask', fix: 'DEBUG = False (Django), app.debug = False (Flask)' },
    ],
  },
  (op) => {
    const errs = errorAnswers(op);
    if (errs.length === 0) return undefined;
    const traced = errs.filter(hasStackTrace);
    return traced.length ? fail(...traced.map((ex) => said(ex, 'Content-Type'))) : PASS;
  },
);
