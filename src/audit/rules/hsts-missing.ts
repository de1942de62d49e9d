import { headerValue } from '../../model/http.js';
import { CITE, PASS, apiRule, fail } from './rule.js';

export default apiRule(
  {
    id: 'audit.hsts-missing',
    category: 'transport',
    severity: 'warning',
    weight: 3,
    title: 'HTTPS without Strict-Transport-Security',
    description:
      'Without HSTS a browser may still try plain HTTP first (a typed URL, an old link), where the token or cookie can be taken.',
    cites: [CITE.rfc6797],
    fixes: [
      {
        server: 'Express',
        fix: "app.use(helmet.hsts({ maxAge: 31536000 })) or res.set('Strict-Transport-Security', 'max-age=31536000')",
      },
      { server: 'nginx', fix: 'add_header Strict-Transport-Security "max-age=31536000" always;' },
    ],
  },
  (api) => {
    if (!api.baseUrl.startsWith('https:')) return undefined;
    const answered = api.operations
      .flatMap((op) => Object.values(op.exchanges))
      .filter((ex) => ex?.status !== undefined);
    if (answered.length === 0) return undefined;
    const hsts = answered.find((ex) =>
      /max-age=\s*"?[1-9]/i.test(headerValue(ex!.headers, 'strict-transport-security') ?? ''),
    );
    return hsts
      ? PASS
      : fail(`none of ${answered.length} answers has Strict-Transport-Security with a max-age`);
  },
);
