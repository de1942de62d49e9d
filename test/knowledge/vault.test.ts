import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { ev } from '../support/evidence.js';

/**
 * HashiCorp Vault answers 403 `{"errors":["permission denied"]}` to a token whose policy does not
 * allow the path and to a request with no token alike (api-docs, "HTTP Status Codes"); since 1.17
 * an unknown token gets `["invalid token","permission denied"]`. The identical anonymous answer must
 * not read as "a rule about the request", and the fix is Vault's own (token lookup, capabilities).
 */
const URL = 'https://vault.example.com:8200/v1/secret/data/app/config';
const HEADERS = { 'X-Vault-Token': 'hvs.CAESIJ0123456789abcdefghijklmnop', Accept: '*/*' };
const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
const DENIED = '{"errors":["permission denied"]}\n';

function diagnose(body: string) {
  const e = ev({
    url: URL,
    headers: HEADERS,
    status: 403,
    responseHeaders: JSON_HEADERS,
    responseBody: body,
    anonymous: { status: 403, responseHeaders: JSON_HEADERS, responseBody: DENIED },
  });
  return analyze(e);
}

describe('HashiCorp Vault', () => {
  it('"permission denied" to the token and to no token: the policy, with Vault\'s own commands, not a request rule', () => {
    const r = diagnose(DENIED);
    const ids = r.findings.filter((f) => f.kind === 'cause').map((f) => f.id);
    expect(ids[0]).toBe('authz.forbidden');
    expect(ids).not.toContain('authz.request-rule');
    const first = r.findings[0]!;
    expect(first.confidence).toBe('confirmed');
    expect(first.detail).toContain('HashiCorp Vault answered 403 with "permission denied"');
    expect(first.fix).toContain('`vault token capabilities secret/data/app/config`');
    expect(first.fix).toContain('`vault token lookup`');
  });

  it('Vault 1.17+ "invalid token" before "permission denied": the token is dead, not the policy', () => {
    const r = diagnose('{"errors":["invalid token","permission denied"]}\n');
    const causes = r.findings.filter((f) => f.kind === 'cause');
    expect(causes[0]!.id).toBe('credentials.rejected');
    expect(causes[0]!.fix).toContain('vault login');
    expect(causes.map((f) => f.id)).not.toContain('authz.request-rule');
  });

  it('"permission denied" outside Vault\'s errors array is not Vault\'s', () => {
    const r = diagnose('{"message":"permission denied"}');
    expect(r.findings.some((f) => (f.detail ?? '').includes('HashiCorp Vault'))).toBe(false);
  });
});
