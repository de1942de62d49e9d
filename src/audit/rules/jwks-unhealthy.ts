import { CITE, PASS, apiRule, fail } from './rule.js';
import { docSaid, isObject, jwksKeys, keyName } from './doc-util.js';

/** JWK members that hold private or secret key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

export default apiRule(
  {
    id: 'audit.jwks-unhealthy',
    category: 'discovery',
    severity: 'error',
    weight: 5,
    title: "The issuer's JWKS is unreachable, empty, or publishes private keys",
    description:
      'Every resource server verifies tokens with the keys at jwks_uri: if it cannot be read, no token verifies; a key with private members (d, k…) lets anyone mint tokens.',
    cites: [
      CITE.oidcDiscovery,
      { spec: 'RFC 7517', section: '§5', url: 'https://www.rfc-editor.org/rfc/rfc7517#section-5' },
    ],
    fixes: [
      {
        server: 'any',
        fix: 'serve the public keys only ({"keys":[{kty,kid,use,alg,n,e}]}); export them with jose.exportJWK(publicKey), never from the private key object',
      },
    ],
  },
  (api) => {
    const doc = api.jwks;
    if (!doc) {
      const d = api.discovery;
      return d && isObject(d.json) && typeof d.json.jwks_uri === 'string'
        ? fail(`${d.json.jwks_uri} was not fetched`)
        : undefined;
    }
    const keys = jwksKeys(doc);
    if (!keys) return fail(docSaid(doc) + (doc.status === 200 ? ', no "keys" list' : ''));
    if (keys.length === 0) return fail(`${doc.url} has no keys`);
    const leaking = keys
      .map((k, i) => [keyName(k, i), PRIVATE.filter((m) => m in k)] as const)
      .filter(([, members]) => members.length > 0);
    return leaking.length
      ? fail(...leaking.map(([name, members]) => `${name} publishes private members: ${members.join(', ')}`))
      : PASS;
  },
);
