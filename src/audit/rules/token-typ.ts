import { CITE, PASS, apiRule, fail } from './rule.js';

export default apiRule(
  {
    id: 'audit.token-typ',
    category: 'discovery',
    severity: 'info',
    weight: 0,
    title: 'The sample token is not typed at+jwt',
    description:
      'RFC 9068 types access tokens "at+jwt" so a resource server can refuse an ID token sent in their place; a server can only insist on it if the issuer sets it.',
    cites: [CITE.rfc9068_typ],
    fixes: [
      { server: 'any', fix: 'issue access tokens with the header typ: at+jwt, then have the API require it' },
    ],
  },
  (api) => {
    const h = api.token?.header;
    if (!h) return undefined;
    const typ = typeof h.typ === 'string' ? h.typ.toLowerCase() : undefined;
    return typ === 'at+jwt' || typ === 'application/at+jwt'
      ? PASS
      : fail(`the token's typ is ${typ ? `"${h.typ}"` : 'absent'}`);
  },
);
