import { CITE, PASS, apiRule, fail } from './rule.js';
import { docSaid, isObject } from './doc-util.js';

export default apiRule(
  {
    id: 'audit.resource-metadata-missing',
    category: 'discovery',
    severity: 'warning',
    weight: 3,
    title: 'No OAuth protected resource metadata (RFC 9728)',
    description:
      'The metadata at /.well-known/oauth-protected-resource tells clients which authorization server issues tokens for this API and which scopes exist; MCP clients require it.',
    cites: [CITE.rfc9728_wellknown],
    fixes: [
      {
        server: 'Express',
        fix: "app.get('/.well-known/oauth-protected-resource', (req, res) => res.json({ resource: 'https://api.example.com', authorization_servers: ['https://login.example.com'], scopes_supported: [...] }))",
      },
      {
        server: 'any',
        fix: 'and point to it from the 401: WWW-Authenticate: Bearer resource_metadata="https://api.example.com/.well-known/oauth-protected-resource"',
      },
    ],
  },
  (api) => {
    const doc = api.resourceMetadata;
    if (!doc) return undefined;
    return doc.status === 200 && isObject(doc.json) && typeof doc.json.resource === 'string'
      ? PASS
      : fail(docSaid(doc));
  },
);
