import { CITE, PASS, apiRule, fail } from './rule.js';
import { docSaid, isObject } from './doc-util.js';

const SUFFIX = '/.well-known/openid-configuration';

export default apiRule(
  {
    id: 'audit.discovery-unhealthy',
    category: 'discovery',
    severity: 'error',
    weight: 4,
    title: "The issuer's discovery document is missing or wrong",
    description:
      "Resource servers and clients find the token signing keys through the issuer's discovery document: it must answer, name a jwks_uri, and give an issuer identical to the URL it was found under.",
    cites: [CITE.oidcDiscovery],
    fixes: [
      {
        server: 'any',
        fix: 'serve /.well-known/openid-configuration with "issuer" exactly as tokens carry it in iss (trailing slash included) and "jwks_uri"',
      },
    ],
  },
  (api) => {
    const doc = api.discovery;
    if (!doc) return undefined;
    if (doc.status !== 200 || !isObject(doc.json)) return fail(docSaid(doc));
    const { issuer, jwks_uri } = doc.json;
    const problems: string[] = [];
    if (typeof jwks_uri !== 'string') problems.push(`${doc.url} has no jwks_uri`);
    if (typeof issuer !== 'string') problems.push(`${doc.url} has no issuer`);
    else if (doc.url.endsWith(SUFFIX) && issuer.replace(/\/$/, '') !== doc.url.slice(0, -SUFFIX.length))
      problems.push(
        `${doc.url} says issuer "${issuer}", not the URL it is served under (OpenID Connect Discovery §4.3)`,
      );
    const iss = api.token?.claims.iss;
    if (typeof issuer === 'string' && typeof iss === 'string' && iss !== issuer)
      problems.push(`the token's iss is "${iss}", the discovery document's issuer "${issuer}"`);
    return problems.length ? fail(...problems) : PASS;
  },
);
