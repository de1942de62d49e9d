import { CITE, PASS, apiRule, fail } from './rule.js';
import { jwksKeys } from './doc-util.js';

export default apiRule(
  {
    id: 'audit.jwks-kids',
    category: 'discovery',
    severity: 'error',
    weight: 3,
    title: 'Keys in the JWKS share a kid, or lack one',
    description:
      "Verifiers pick the key by the token's kid: two keys with one kid, or several keys without any, make verification pick the wrong key after a rotation.",
    cites: [CITE.rfc7517_kid],
    fixes: [
      { server: 'any', fix: 'give every key a kid of its own (the RFC 7638 thumbprint is a good one)' },
    ],
  },
  (api) => {
    const keys = jwksKeys(api.jwks);
    if (!keys || keys.length === 0) return undefined;
    const seen = new Map<string, number>();
    for (const k of keys) if (typeof k.kid === 'string') seen.set(k.kid, (seen.get(k.kid) ?? 0) + 1);
    const dup = [...seen].filter(([, n]) => n > 1).map(([kid, n]) => `kid "${kid}" is used by ${n} keys`);
    const without = keys.filter((k) => typeof k.kid !== 'string').length;
    if (keys.length > 1 && without > 0) dup.push(`${without} of ${keys.length} keys have no kid`);
    return dup.length ? fail(...dup) : PASS;
  },
);
