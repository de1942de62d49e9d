import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TestServer } from '../support/http-server.js';
import { startLeakyRefuser } from '../support/leaky-refuser.js';

/** The canary secret through `why401 guide`, in every format: no output may contain it. */
const CANARY = 'CANARYsecret7f3a9c2e41d8b6';
const JWT_CANARY =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkiLCJlbWFpbCI6ImNhbmFyeUBleGFtcGxlLmNvbSIsImV4cCI6MX0.Q0FOQVJZc2lnbmF0dXJlX3NlY3JldA';
const BASIC = Buffer.from(`alice:${CANARY}`).toString('base64');
const forbidden = [CANARY, BASIC, JWT_CANARY, JWT_CANARY.split('.')[2]!];

let s: TestServer;
beforeAll(async () => {
  s = await startLeakyRefuser(CANARY, { 'X-Request-Id': 'req-canary-1' });
});
afterAll(() => s.close());

describe('why401 guide: no raw secret in any output', () => {
  it('Bearer tokens, Basic passwords and cookies, in text, --json and --markdown', async () => {
    const url = `${s.url}/me`;
    const flagSets = [
      ['-H', `Authorization: Bearer ${JWT_CANARY}`],
      ['-H', `Authorization: Bearer ${CANARY}`],
      ['-u', `alice:${CANARY}`],
      ['-H', `Authorization: Basic ${BASIC}`],
      ['-b', `sid=${CANARY}`],
    ];
    for (const flags of flagSets) {
      for (const fmt of [[], ['--json'], ['--markdown']]) {
        for (const args of [
          ['guide', ...fmt, url, ...flags],
          ['guide', ...fmt, 'curl', url, ...flags],
        ]) {
          const name = args.join(' ');
          const r = await runCli(args, { input: 'y\nn\ny\n\ny\nn\ny\ny\nn\ny\ny\n' });
          expect(r.code, name).toBe(1);
          expect(r.stdout.length, name).toBeGreaterThan(0);
          for (const secret of forbidden) {
            expect(r.stdout, name).not.toContain(secret);
            expect(r.stderr, name).not.toContain(secret);
          }
        }
      }
    }
  }, 120_000);

  it('the account named is the token claim or the Basic user, never the secret', async () => {
    const jwtRun = await runCli([
      'guide',
      '--no-questions',
      `${s.url}/me`,
      '-H',
      `Authorization: Bearer ${JWT_CANARY}`,
    ]);
    expect(jwtRun.stdout).toContain('Account named by the sign-in details: canary@example.com');
    const basicRun = await runCli(['guide', '--no-questions', `${s.url}/me`, '-u', `alice:${CANARY}`]);
    expect(basicRun.stdout).toContain('Account named by the sign-in details: alice');
  });
});
