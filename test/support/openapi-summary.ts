import type { OpenApiSummary } from '../../src/model/evidence.js';

/** A pet store's document as `--openapi` summarises it (test/fixtures/openapi/pets.yaml). */
const oauth = (...scopes: string[]) => ({ scheme: 'oauth', type: 'oauth2' as const, scopes });
export const PETS: OpenApiSummary = {
  source: 'pets.yaml',
  basePaths: ['/v1'],
  operations: [
    { method: 'GET', path: '/pets', security: [[oauth('pets:read')]] },
    { method: 'POST', path: '/pets', security: [[oauth('pets:write')]] },
    { method: 'GET', path: '/pets/{petId}', security: [[oauth('pets:read')]] },
    {
      method: 'GET',
      path: '/me',
      security: [[{ scheme: 'key', type: 'apiKey', in: 'header', name: 'X-API-Key', scopes: [] }]],
    },
    {
      method: 'GET',
      path: '/reports',
      security: [
        [{ scheme: 'queryKey', type: 'apiKey', in: 'query', name: 'api_key', scopes: [] }],
        [oauth('reports:read')],
      ],
    },
    { method: 'GET', path: '/health', security: [] },
  ],
};
