import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCauses as causes } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import {
  makeTokenSigningKey,
  registryBinary,
  startRegistry,
  type RunningRegistry,
} from '../support/registry.js';

/**
 * A newcomer's sweep over the CNCF registry (Debian's docker-registry) with token auth, the cases
 * real-servers.test.ts does not try. Right already: an expired token (token.expired from its
 * exp), a token from another issuer or signed by an untrusted key (the registry says only
 * invalid_token: credentials.rejected, nothing more to know).
 *
 * Wrong before: the two first things a newcomer types, `curl -u alice:pw …/v2/foo/tags/list` and
 * a push with nothing, were told "send `Authorization: Bearer <token>`", which says nothing to
 * someone who has a password and no token. The registry's challenge names the token endpoint
 * (`realm`), `service` and `scope` (distribution/distribution:docs/spec/auth/token.md): the
 * answer now spells out the token request for exactly that challenge.
 */

const SERVICE = 'registry.why401.test';
let registry: RunningRegistry | undefined;
let tokenServer: TestServer | undefined;

beforeAll(async () => {
  if (!registryBinary()) return;
  // The realm only has to be named: the CLI never fetches it on its own.
  tokenServer = await startServer((_req, res) => {
    res.writeHead(404).end();
  });
  const key = await makeTokenSigningKey('ES256');
  registry = await startRegistry({
    realm: `${tokenServer.url}/token`,
    service: SERVICE,
    issuer: 'why401-token-issuer',
    rootCertBundle: key.certPem,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([registry?.close(), tokenServer?.close()]);
});

// CI installs every server (.ci/run): there a missing one is a failure, not a skip.
const test = !registryBinary() && !process.env.CI ? it.skip : it;

describe('docker-registry token auth', () => {
  test('curl -u alice:pw to /v2/: the token request with alice, service and scope', async () => {
    const r = await causes([`${registry!.url}/v2/foo/tags/list`, '-u', 'alice:pw']);
    expect(r.code).toBe(1);
    const first = r.causes[0]!;
    expect(first.id).toBe('header.scheme-mismatch');
    expect(first.fix).toContain(
      `curl -u alice:<password> '${tokenServer!.url}/token?service=${SERVICE}&scope=repository:foo:pull'`,
    );
  });

  test('a push without credentials: the token request for pull,push', async () => {
    const r = await causes([`${registry!.url}/v2/foo/blobs/uploads/`, '-X', 'POST']);
    expect(r.code).toBe(1);
    const first = r.causes[0]!;
    expect(first.id).toBe('credentials.missing');
    // The registry lists the actions in no fixed order (distribution builds the challenge's scope
    // from a Go map): why401 quotes them as the challenge gives them.
    const request = `'${tokenServer!.url}/token?service=${SERVICE}&scope=repository:foo:`;
    expect([`${request}pull,push'`, `${request}push,pull'`].some((t) => first.fix!.includes(t))).toBe(true);
  });
});
