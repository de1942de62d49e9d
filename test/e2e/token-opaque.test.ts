import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { schemaErrors } from '../support/schema.js';

/**
 * `why401 token <opaque>` end to end, per family: not "nothing wrong", never a green OK, exit 0,
 * the family named, and the token itself never printed. Fake values are built at run time (no
 * scanner-shaped literal in the source) and are not all `x` (that is header.placeholder's).
 */
const rep = (alphabet: string, n: number) => alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);
const A = (n: number) => rep('Why401Fake0', n);
const HEX = (n: number) => rep('0a1b2c3d4e5f', n);

const FAMILIES: Array<[string, string, string]> = [
  ['GitHub', 'ghp_' + A(36), 'GET https://api.github.com/user'],
  ['GitLab', 'glpat-' + A(20), '/api/v4/user'],
  ['Slack', 'xoxb-' + '1234567890-' + A(24), 'auth.test'],
  ['Stripe', 'sk_live_' + A(24), 'GET https://api.stripe.com/v1/account'],
  ['AWS', 'AKIA' + rep('WHYFAKE234567', 16), 'get-caller-identity'],
  ['Google', 'ya29.' + A(60), 'tokeninfo'],
  ['OpenAI', 'sk-proj-' + A(40), '/v1/models'],
  ['Anthropic', 'sk-ant-api03-' + A(40), 'x-api-key'],
  ['npm', 'npm_' + A(36), '/-/whoami'],
  ['Shopify', 'shpat_' + HEX(32), 'X-Shopify-Access-Token'],
  ['Twilio', 'SK' + HEX(32), 'Basic'],
  ['SendGrid', 'SG.' + A(22) + '.' + A(43), '/v3/scopes'],
  ['Atlassian', 'ATATT3' + A(60), '/rest/api/3/myself'],
  ['Azure Storage', 'sv=2022-11-02&sp=r&se=2026-01-01T00:00:00Z&sig=' + A(30), 'query string'],
  ['Okta', 'SSWS 00' + A(40), '/api/v1/users/me'],
];

async function token(value: string, ...more: string[]) {
  const json = await runCli(['token', value, '--json', ...more]);
  const text = await runCli(['token', value, '--no-color', ...more]);
  expect(json.stderr).toBe('');
  const report = JSON.parse(json.stdout) as Report;
  expect(schemaErrors(report)).toBe('');
  // The report wraps to 80 columns when piped: compare the words, not the line breaks.
  return { report, text: text.stdout.replace(/\s+/g, ' '), code: text.code, json: json.stdout };
}

describe('why401 token <opaque token>', () => {
  it('hello-world: cannot be checked offline, not "nothing wrong", exit 0', async () => {
    const { report, text, code } = await token('hello-world');
    expect(code).toBe(0);
    expect(report.outcome).not.toBe('ok');
    expect(report.findings.map((f) => [f.id, f.kind])).toEqual([['token.opaque', 'info']]);
    expect(text).toContain('why401 token → not checked: it cannot be checked offline');
    expect(text).toContain('cannot be checked offline');
    expect(text).toContain('--introspect-url');
    expect(text).not.toContain('Nothing wrong');
    expect(text).not.toContain('✔');
  });

  it.each(FAMILIES)('%s: named, how to check it, never printed', async (vendor, value, hint) => {
    const { report, text, code, json } = await token(value);
    expect(code).toBe(0);
    expect(report.outcome).not.toBe('ok');
    const info = report.findings.find((f) => f.id === 'token.opaque' && f.kind === 'info')!;
    expect(`${info.title}\n${info.detail}`).toContain(vendor);
    expect(text).toContain(hint);
    expect(text).not.toContain('Nothing wrong');
    const secret = value.replace(/^SSWS /, '');
    expect(text).not.toContain(secret);
    expect(json).not.toContain(secret);
    expect(text).not.toContain(secret.slice(8, 30));
  });

  it('a publishable key says it is not a secret key, still exit 0', async () => {
    const { report, text, code } = await token('pk_live_' + A(24));
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.kind)).toEqual(['warning', 'info']);
    expect(text).toContain('The credential is a publishable key, not a secret key (Stripe, `pk_live_…`)');
  });

  it('--show-secrets is the only way to see it', async () => {
    const value = 'ghp_' + A(36);
    const { json } = await token(value, '--show-secrets');
    expect(json).toContain(value);
  });
});
