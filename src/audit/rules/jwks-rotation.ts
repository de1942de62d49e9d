import { CITE, PASS, apiRule, fail } from './rule.js';
import { jwksKeys } from './doc-util.js';

export default apiRule(
  {
    id: 'audit.jwks-rotation',
    category: 'discovery',
    severity: 'info',
    weight: 0,
    title: 'The JWKS holds a single signing key: no rotation in view',
    description:
      'Publishing the next key before signing with it lets every verifier cache it in time; with one key, a rotation (or a leaked key) means refused tokens until caches expire.',
    cites: [CITE.rfc7517_kid],
    fixes: [{ server: 'any', fix: 'publish the next key beside the current one ahead of each rotation' }],
  },
  (api) => {
    const keys = jwksKeys(api.jwks);
    if (!keys || keys.length === 0) return undefined;
    const signing = keys.filter((k) => k.use === undefined || k.use === 'sig');
    return signing.length > 1 ? PASS : fail(`${api.jwks!.url} has ${signing.length} signing key`);
  },
);
