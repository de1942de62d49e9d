import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import {
  PY_CREDENTIALS as C,
  pythonStacksAvailable,
  startPythonServer,
  type PythonServer,
} from '../support/python-servers.js';

/**
 * A newcomer's sweep over the Python stacks (Debian's Flask-HTTPAuth, DRF, FastAPI), the cases
 * python-stacks.test.ts does not try. Right already: DRF with a lower-case `token` scheme, a
 * second word after the key, Basic to a Token API; FastAPI with an expired or lower-case `bearer`
 * JWT; Flask-HTTPAuth with Basic not base64-encoded.
 *
 * Wrong before: Flask-HTTPAuth answers a request WITHOUT credentials with its default error,
 * "Unauthorized Access", the same words it gives a wrong password. why401 read them as a refusal
 * of credentials and listed "The server rejected the credentials … get fresh credentials" beside
 * credentials.missing, although nothing had been sent (the evidence contradicts it). Words that
 * mean "refused" describe the missing credential when none was sent; credentials.missing alone
 * says what to do.
 *
 * Wrong before, too: FastAPI's APIKeyHeader("X-API-Key") given the key in `?api_key=`. Its 403
 * "Not authenticated" (the words HTTPBearer uses as well) carries no challenge, yet the answer said
 * "this server reads `Authorization: Bearer`" and told the user to move the key there (a guess
 * the server's answer does not support: the same move gets the same 403), and listed
 * authz.request-rule ("a rule about your address or path") because the anonymous request got the
 * same 403, which words meaning "no credentials reached me" always do.
 */

const flaskMissing = pythonStacksAvailable().flask;
const fastapiMissing = pythonStacksAvailable().fastapi;
let flask: PythonServer | undefined;
let fastapi: PythonServer | undefined;

beforeAll(async () => {
  [flask, fastapi] = await Promise.all([
    flaskMissing ? undefined : startPythonServer('flask'),
    fastapiMissing ? undefined : startPythonServer('fastapi'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([flask?.close(), fastapi?.close()]);
});

describe('Flask-HTTPAuth', () => {
  // CI installs every stack (.ci/run): there a missing one is a failure, not a skip.
  const test = flaskMissing && !process.env.CI ? it.skip : it;

  test('HTTPBasicAuth without credentials: credentials.missing alone, asking for Basic', async () => {
    const r = await runCli([`${flask!.url}/basic/me`, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const causes = report.findings.filter((f) => f.kind === 'cause');
    expect(causes.map((f) => f.id)).toEqual(['credentials.missing']);
    expect(causes[0]!.fix).toContain('curl -u user:password');
  });

  test('HTTPTokenAuth without credentials: credentials.missing alone', async () => {
    const r = await runCli([`${flask!.url}/token/me`, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.kind === 'cause').map((f) => f.id)).toEqual([
      'credentials.missing',
    ]);
  });
});

describe('FastAPI', () => {
  const test = fastapiMissing && !process.env.CI ? it.skip : it;

  test('APIKeyHeader(X-API-Key) given the key in ?api_key=: the wrong place, no guessed header, no request rule', async () => {
    const r = await runCli([`${fastapi!.url}/apikey/me?api_key=${C.fastapiApiKey}`, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const causes = report.findings.filter((f) => f.kind === 'cause');
    expect(causes.map((f) => f.id)).toEqual(['apikey.wrong-place']);
    expect(causes[0]!.title).not.toContain('Authorization');
    expect(causes[0]!.fix).toContain('X-API-Key');
  });
});
