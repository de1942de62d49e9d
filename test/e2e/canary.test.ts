import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TestServer } from '../support/http-server.js';
import { startLeakyRefuser } from '../support/leaky-refuser.js';
import { ev } from '../support/evidence.js';

/**
 * The canary secret: one distinctive value placed in every place a credential can sit, then every
 * command in every format is run and no output may contain it (nor its Basic base64 form).
 */
const CANARY = 'CANARYsecret7f3a9c2e41d8b6';
const JWT_CANARY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkiLCJleHAiOjF9.Q0FOQVJZc2lnbmF0dXJlX3NlY3JldA';
const BASIC = Buffer.from(`alice:${CANARY}`).toString('base64');
const forbidden = [CANARY, BASIC, JWT_CANARY, JWT_CANARY.split('.')[2]!];

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startLeakyRefuser(CANARY);
  dir = mkdtempSync(join(tmpdir(), 'why401-canary-'));
});
afterAll(() => s.close());

function variants(): Array<[string, string[], string?]> {
  const url = `${s.url}/me?api_key=${CANARY}`;
  const flagSets: string[][] = [
    ['-H', `Authorization: Bearer ${JWT_CANARY}`],
    ['-H', `Authorization: Bearer ${CANARY}`],
    ['-H', `Authorization: "${CANARY}"`],
    ['-u', `alice:${CANARY}`],
    ['-b', `sid=${CANARY}`],
    ['-H', `X-Api-Key: ${CANARY}`],
    ['--oauth2-bearer', CANARY],
    ['-H', `Authorization: Bearer ${CANARY}\n`],
  ];
  const out: Array<[string, string[], string?]> = [];
  for (const flags of flagSets) {
    for (const fmt of [[], ['--json'], ['--markdown']]) {
      out.push([`direct ${flags[0]} ${fmt.join('')}`, [...fmt, url, ...flags]]);
      out.push([`curl form ${flags[0]} ${fmt.join('')}`, [...fmt, 'curl', url, ...flags]]);
    }
    out.push([
      `curl paste on stdin ${flags[0]}`,
      ['--json', 'curl', '-'],
      `curl '${url}' ${flags.map((f) => `'${f.replace(/'/g, `'\\''`)}'`).join(' ')}`,
    ]);
    out.push([`offline ${flags[0]}`, ['--offline', url, ...flags]]);
  }
  return out;
}

describe('no raw secret in any output', () => {
  it('every command and format', async () => {
    for (const [name, args, input] of variants()) {
      const r = await runCli(args, input === undefined ? {} : { input });
      for (const secret of forbidden) {
        expect(r.stdout, name).not.toContain(secret);
        expect(r.stderr, name).not.toContain(secret);
      }
      expect(r.stdout.length, name).toBeGreaterThan(0);
    }
  }, 120_000);

  it('--from saved evidence, in every format', async () => {
    const file = join(dir, 'evidence.json');
    writeFileSync(
      file,
      JSON.stringify(
        ev({
          headers: { Authorization: `Bearer ${JWT_CANARY}`, Cookie: `sid=${CANARY}` },
          responseHeaders: { 'Set-Cookie': `sid=${CANARY}` },
          responseBody: CANARY,
        }),
      ),
    );
    for (const fmt of [[], ['--json'], ['--markdown']]) {
      const r = await runCli([...fmt, '--from', file]);
      expect(r.code).toBe(1);
      for (const secret of forbidden) expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('--show-secrets opts out', async () => {
    const r = await runCli([
      '--show-secrets',
      '--json',
      `${s.url}/me`,
      '-H',
      `Authorization: Bearer ${CANARY}`,
    ]);
    expect(r.stdout).toContain(CANARY);
  });
});
