import { isBearerish } from '../plan.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { challenges, said } from './util.js';

export default operationRule(
  {
    id: 'audit.challenge-scheme',
    category: 'challenges',
    severity: 'warning',
    weight: 3,
    title: 'The challenge does not name the scheme the document declares',
    description:
      'The document says this operation takes one scheme; the 401 challenges with another, so clients that follow the challenge send the wrong credentials.',
    cites: [CITE.rfc9110_challenge, CITE.openapiSecurity],
    fixes: [
      {
        server: 'any',
        fix: 'challenge with the scheme the API accepts (WWW-Authenticate: Bearer realm="api" for bearer tokens), or fix the document\'s securitySchemes',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.anonymous;
    const scheme = op.schemes[0];
    if (ex?.status !== 401 || !scheme) return undefined;
    const expected = isBearerish(scheme)
      ? ['bearer', 'dpop']
      : scheme.type === 'http' && scheme.httpScheme
        ? [scheme.httpScheme]
        : undefined;
    const got = challenges(ex);
    if (!expected || got.length === 0) return undefined;
    return got.some((c) => expected.includes(c.schemeLower))
      ? PASS
      : fail(said(ex, 'WWW-Authenticate'), `the document declares ${scheme.name} (${expected[0]})`);
  },
);
