import { CITE, PASS, apiRule, fail } from './rule.js';
import { jwksKeys, keyName } from './doc-util.js';

const CURVES = new Set(['P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448', 'X25519', 'X448', 'secp256k1']);

/** The size in bits of an RSA modulus written in base64url, leading zero bytes aside. */
function rsaBits(n: string): number {
  const bytes = Math.floor((n.replace(/=+$/, '').length * 6) / 8);
  return bytes * 8;
}

export default apiRule(
  {
    id: 'audit.jwks-weak-key',
    category: 'discovery',
    severity: 'error',
    weight: 4,
    title: 'The JWKS holds a weak or unsuitable key',
    description:
      'RSA keys for RS256/PS256 must be at least 2048 bits; a symmetric (oct) key has no place in a published key set; an unknown curve is one verifiers cannot use.',
    cites: [CITE.rfc7518_rsa, CITE.rfc8725_algs],
    fixes: [
      {
        server: 'any',
        fix: 'rotate to an RSA key of 2048 bits or more (or P-256 / Ed25519), publish it, sign with it, then remove the weak one',
      },
    ],
  },
  (api) => {
    const keys = jwksKeys(api.jwks);
    if (!keys || keys.length === 0) return undefined;
    const weak: string[] = [];
    keys.forEach((k, i) => {
      if (k.kty === 'RSA' && typeof k.n === 'string' && rsaBits(k.n) < 2048)
        weak.push(`${keyName(k, i)} is RSA with a ${rsaBits(k.n)}-bit modulus`);
      else if (k.kty === 'oct') weak.push(`${keyName(k, i)} is a symmetric (oct) key`);
      else if ((k.kty === 'EC' || k.kty === 'OKP') && !CURVES.has(String(k.crv)))
        weak.push(`${keyName(k, i)} uses the curve ${JSON.stringify(k.crv)}`);
    });
    return weak.length ? fail(...weak) : PASS;
  },
);
