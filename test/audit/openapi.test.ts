import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument, parseDocumentText } from '../../src/audit/document.js';
import { describeApi, exampleValue, pathOperation } from '../../src/audit/openapi.js';
import { fixture } from './support/audit.js';

const load = (name: string) =>
  loadDocument(fixture(name), { readFile: (p) => readFileSync(p, 'utf8'), userAgent: 't' });

describe('reading OpenAPI documents: Swagger 2.0, OpenAPI 3.0 and 3.1', () => {
  it('3.1 (YAML): operations, path examples through a $ref, per-operation security, documented-open', async () => {
    const d = await load('express-3.1.yaml');
    expect(d.version).toBe('3.1.0');
    expect(d.servers).toEqual(['/v1']);
    expect(d.schemes.oauth).toEqual({ name: 'oauth', type: 'oauth2' });
    const byId = Object.fromEntries(d.operations.map((o) => [o.operationId, o]));
    expect(byId.getItem).toMatchObject({ method: 'GET', path: '/items/{itemId}', target: '/items/item-1' });
    expect(byId.getItem!.security).toEqual([[{ scheme: 'oauth', scopes: ['read:items'] }]]);
    expect(byId.adminStats!.security).toEqual([[{ scheme: 'oauth', scopes: ['admin'] }]]);
    expect(byId.health).toMatchObject({ documentedOpen: true, security: [] });
    expect(byId.resetStats!.method).toBe('DELETE');
  });

  it('3.0 (JSON): a bearer scheme, required query parameters filled from default, a path example', async () => {
    const d = await load('fastify-3.0.json');
    expect(d.version).toBe('3.0.3');
    expect(d.schemes.bearerAuth).toEqual({ name: 'bearerAuth', type: 'http', httpScheme: 'bearer' });
    const targets = d.operations.map((o) => o.target);
    expect(targets).toEqual(['/status', '/orders?limit=10', '/orders/7', '/reports']);
  });

  it('Swagger 2.0: securityDefinitions, basePath, x-example', async () => {
    const d = await load('swagger-2.0.json');
    expect(d.version).toBe('2.0');
    expect(d.servers).toEqual(['/v1']);
    expect(d.operations.find((o) => o.path === '/items/{itemId}')?.target).toBe('/items/item-1');
    expect(d.operations.find((o) => o.path === '/admin/stats')?.security).toEqual([
      [{ scheme: 'oauth', scopes: ['admin'] }],
    ]);
  });

  it('every kind of scheme: apiKey in header, query and cookie; Swagger basic; OpenID Connect', () => {
    const d = describeApi({
      openapi: '3.1.0',
      paths: { '/a': { get: { security: [{ h: [] }, { q: [] }] } } },
      components: {
        securitySchemes: {
          h: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          q: { type: 'apiKey', in: 'query', name: 'api_key' },
          c: { type: 'apiKey', in: 'cookie', name: 'sid' },
          o: {
            type: 'openIdConnect',
            openIdConnectUrl: 'https://login.example.test/.well-known/openid-configuration',
          },
          m: { type: 'mutualTLS' },
        },
      },
    });
    expect(d.schemes.h).toEqual({ name: 'h', type: 'apiKey', in: 'header', paramName: 'X-API-Key' });
    expect(d.schemes.c?.in).toBe('cookie');
    expect(d.schemes.o?.openIdConnectUrl).toMatch(/openid-configuration$/);
    expect(d.operations[0]!.security).toHaveLength(2);
    expect(
      describeApi({ swagger: '2.0', securityDefinitions: { b: { type: 'basic' } }, paths: {} }).schemes.b,
    ).toEqual({
      name: 'b',
      type: 'http',
      httpScheme: 'basic',
    });
  });

  it('example values, and a safe placeholder when there is none', () => {
    expect(exampleValue({ example: 'abc' })).toBe('abc');
    expect(exampleValue({ examples: { one: { value: 42 } } })).toBe('42');
    expect(exampleValue({ schema: { type: 'string', enum: ['red', 'blue'] } })).toBe('red');
    expect(exampleValue({ schema: { type: 'integer' } })).toBe('1');
    expect(exampleValue({ schema: { type: 'string', format: 'uuid' } })).toMatch(/^00000000-/);
    expect(exampleValue({ schema: { type: 'string' } })).toBe('why401-example');
    expect(exampleValue({ schema: { type: 'string' }, example: '../../etc' })).toBe('../../etc');
    expect(
      describeApi({
        openapi: '3.0.0',
        paths: { '/f/{p}': { get: { parameters: [{ name: 'p', in: 'path', example: 'a/b' }] } } },
      }).operations[0]!.target,
    ).toBe('/f/a%2Fb');
  });

  it('--path METHOD:/path', () => {
    expect(pathOperation('get:/v1/me')).toMatchObject({
      method: 'GET',
      path: '/v1/me',
      source: 'path',
      documentedOpen: false,
    });
    expect(pathOperation('/v1/me')).toBeUndefined();
  });

  it('not a document: one clear line', async () => {
    expect(() => parseDocumentText('{ "openapi": ', 'doc.json')).toThrow(/doc\.json is not valid JSON/);
    expect(() => parseDocumentText('a: [', 'doc.yaml')).toThrow(/doc\.yaml is not valid YAML/);
    await expect(loadDocument('x.yaml', { readFile: () => 'name: value', userAgent: 't' })).rejects.toThrow(
      /not an OpenAPI or Swagger document/,
    );
    await expect(
      loadDocument('x.yaml', { readFile: () => 'openapi: 3.1.0\npaths: {}', userAgent: 't' }),
    ).rejects.toThrow(/describes no operations/);
  });
});
