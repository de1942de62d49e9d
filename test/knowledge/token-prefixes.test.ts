import { describe, expect, it } from 'vitest';
import { TOKEN_PREFIXES, tokenPrefixOf } from '../../src/knowledge/token-prefixes.js';

/** Fake values shaped like each family, built at run time (no scanner-shaped literal in the source). */
const rep = (alphabet: string, n: number) => alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);
const A = (n: number) => rep('Why401Fake0', n);
const HEX = (n: number) => rep('0a1b2c3d4e5f', n);
const UP = (n: number) => rep('WHYFAKE234567', n);

const CASES: Array<[string, string]> = [
  ['ghp_' + A(36), 'github-pat'],
  ['gho_' + A(36), 'github-oauth'],
  ['ghu_' + A(36), 'github-user-to-server'],
  ['ghs_' + A(36), 'github-installation'],
  ['ghr_' + A(36), 'github-refresh'],
  ['github_pat_' + A(82), 'github-fine-grained-pat'],
  ['glpat-' + A(20), 'gitlab-pat'],
  ['xoxb-' + '1234567890-' + A(24), 'slack-bot'],
  ['xoxp-' + '1234567890-' + A(24), 'slack-user'],
  ['xoxa-' + '2-' + A(24), 'slack-legacy-workspace'],
  ['xoxe-' + '1-' + A(40), 'slack-refresh'],
  ['xoxe.xoxp-' + '1-' + A(40), 'slack-config'],
  ['xapp-' + '1-' + A(24), 'slack-app'],
  ['sk_live_' + A(24), 'stripe-secret-live'],
  ['sk_test_' + A(24), 'stripe-secret-test'],
  ['rk_live_' + A(24), 'stripe-restricted-live'],
  ['rk_test_' + A(24), 'stripe-restricted-test'],
  ['pk_live_' + A(24), 'stripe-publishable-live'],
  ['pk_test_' + A(24), 'stripe-publishable-test'],
  ['AKIA' + UP(16), 'aws-access-key-id'],
  ['ASIA' + UP(16), 'aws-temporary-key-id'],
  ['ya29.' + A(60), 'google-access'],
  ['AIza' + A(35), 'google-api-key'],
  ['sk-ant-api03-' + A(40), 'anthropic-api-key'],
  ['sk-proj-' + A(40), 'openai-project-key'],
  ['sk-' + A(40), 'openai-key'],
  ['npm_' + A(36), 'npm-token'],
  ['shpat_' + HEX(32), 'shopify-admin'],
  ['shpss_' + HEX(32), 'shopify-shared-secret'],
  ['SK' + HEX(32), 'twilio-api-key'],
  ['SG.' + A(22) + '.' + A(43), 'sendgrid-api-key'],
  ['ATATT3' + A(60), 'atlassian-api-token'],
  ['hf_' + rep('WhyFake', 34), 'huggingface-token'],
  ['dop_v1_' + HEX(64), 'digitalocean-pat'],
  ['sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-01-01T00:00:00Z&sig=' + A(20) + '%3D', 'azure-sas'],
];

describe('token prefixes', () => {
  it.each(CASES)('%s… is %s', (token, id) => {
    expect(tokenPrefixOf(token)?.id).toBe(id);
  });
  it.each(['hello-world', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', '2YotnFZFEjr1zCsicMWpAA', 'ghp_short', 'sk_live_'])(
    '%s matches no family',
    (t) => expect(tokenPrefixOf(t)).toBeUndefined(),
  );
  it('every entry has a source, a prefix and a case above', () => {
    const tested = new Set(CASES.map(([, id]) => id));
    for (const p of TOKEN_PREFIXES) {
      expect(p.source.length, p.id).toBeGreaterThan(10);
      expect(p.prefix.length, p.id).toBeGreaterThan(1);
      expect(tested.has(p.id), p.id).toBe(true);
    }
  });
});
