import rule from '../../../src/audit/rules/token-lifetime.js';
import { NOW, testRule } from '../support/rule-tester.js';

const t = (claims: Record<string, unknown>) => ({ token: { header: {}, claims } });
const now = NOW / 1000;
testRule(rule, {
  valid: [
    { name: 'five minutes', api: t({ iat: now, exp: now + 300 }) },
    { name: 'no iat, an hour left', api: t({ exp: now + 3600 }) },
  ],
  invalid: [
    { name: 'thirty days', api: t({ iat: now, exp: now + 30 * 86400 }), evidence: /exp − iat = 720 h/ },
    { name: 'no iat, a year left', api: t({ exp: now + 365 * 86400 }), evidence: /exp − now = 8760 h/ },
  ],
  notApplicable: [
    { name: 'no token', api: {} },
    { name: 'no exp (token-claims judges it)', api: t({ iat: now }) },
  ],
});
