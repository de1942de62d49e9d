import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apacheBinary, startApache, type RunningApache } from '../support/apache.js';
import { runCauses as causes, findingText as text } from '../support/cli.js';
import { haproxyBinary, startHaproxy, type RunningHaproxy } from '../support/haproxy.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { lighttpdBinary, startLighttpd, type RunningLighttpd } from '../support/lighttpd.js';
import { nginxBinary, startNginx, type RunningNginx } from '../support/nginx.js';

/**
 * A newcomer's sweep over the Basic authentication of real web servers and proxies (Debian's
 * apache2, lighttpd, HAProxy, nginx): the mistakes no other e2e test tried, each read as the
 * first cause of `why401 URL -u user:password --json`.
 *
 * The case every one of these servers shares: a 401 with a new Basic challenge answers a wrong
 * password, an unknown user, and on Apache, lighttpd and HAProxy also a RIGHT password of a user
 * whom a rule does not admit (Apache `Require user alice`, lighttpd `"require" => "user=alice"`,
 * HAProxy `http_auth_group`). Measured here: bob's right password to Apache's `Require user alice`
 * got the byte-identical 401 of a wrong one; only the error log differs ("authorization failure"
 * against "Password Mismatch"). So the answer must not tell bob his password is wrong, and must name
 * the rule and the log line that tell the two apart. nginx's auth_basic admits every user of its
 * file: there a refused Basic login is the password (or the user), and its log words say which.
 */

let upstream: TestServer | undefined;
let apache: RunningApache | undefined;
let lighttpd: RunningLighttpd | undefined;
let haproxy: RunningHaproxy | undefined;
let nginx: RunningNginx | undefined;

beforeAll(async () => {
  upstream = await startServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  const up = upstream.url;
  [apache, lighttpd, haproxy, nginx] = await Promise.all([
    apacheBinary()
      ? startApache({
          modules: ['auth_digest'],
          // htdigest's line: user:realm:MD5(user:realm:password) (Apache's htdigest tool).
          files: {
            htdigest: `bob:private:${createHash('md5').update('bob:private:s3cret').digest('hex')}\n`,
          },
          // bob / s3cret is in the file; only alice is admitted here.
          lines: [
            'Alias /digest/ DIR/www/',
            '<Location /digest/>',
            '  AuthType Digest',
            '  AuthName "private"',
            '  AuthDigestProvider file',
            '  AuthUserFile DIR/htdigest',
            '  Require valid-user',
            '</Location>',
            'Alias /alice/ DIR/www/',
            '<Location /alice/>',
            '  AuthType Basic',
            '  AuthName "restricted"',
            '  AuthUserFile DIR/htpasswd',
            '  Require user alice',
            '</Location>',
          ],
        })
      : undefined,
    lighttpdBinary()
      ? startLighttpd({
          upstream: up,
          authRequire: [
            '"/alice/" => ( "method" => "basic", "realm" => "restricted", "require" => "user=alice" )',
          ],
        })
      : undefined,
    haproxyBinary()
      ? startHaproxy({
          upstream: up,
          frontendLines: [
            'http-request auth realm admin if { path_beg /admin/ } !{ http_auth_group(users) admins }',
          ],
          sections: [
            'userlist users',
            '  group admins users alice',
            '  user alice insecure-password pw-alice',
            '  user bob insecure-password s3cret',
          ],
        })
      : undefined,
    nginxBinary() ? startNginx({ upstream: up, locations: ['basic'] }) : undefined,
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([apache, lighttpd, haproxy, nginx, upstream].map((s) => s?.close()));
});

describe('Basic credentials refused by the web server itself', () => {
  it.skipIf(!apacheBinary())(
    'Apache `Require user alice`, bob with his right password: not called a wrong password; the rule and the log line named',
    async () => {
      const r = await causes([`${apache!.url}/alice/index.html`, '-u', 'bob:s3cret']);
      expect(r.code).toBe(1);
      const first = r.causes[0]!;
      expect(first.id).toBe('credentials.rejected');
      expect(first.title).not.toMatch(/refused the password/);
      expect(first.title).toContain('Apache httpd');
      expect(text(first)).toContain('`Require user …` or `Require group …`');
      expect(text(first)).toContain('"authorization failure"');
      expect(text(first)).toContain('"Password Mismatch"');
    },
  );

  it.skipIf(!lighttpdBinary())(
    'lighttpd `"require" => "user=alice"`, bob with his right password: the require list named',
    async () => {
      const r = await causes([`${lighttpd!.url}/alice/index.html`, '-u', 'bob:s3cret']);
      expect(r.code).toBe(1);
      const first = r.causes[0]!;
      expect(first.id).toBe('credentials.rejected');
      expect(first.title).not.toMatch(/refused the password/);
      expect(text(first)).toContain('`auth.require`');
    },
  );

  it.skipIf(!haproxyBinary())(
    'HAProxy `http-request auth` on a group, bob (not an admin) with his right password: HAProxy and its userlist named',
    async () => {
      const r = await causes([`${haproxy!.url}/admin/x`, '-u', 'bob:s3cret']);
      expect(r.code).toBe(1);
      const first = r.causes[0]!;
      expect(first.id).toBe('credentials.rejected');
      expect(first.title).toContain('HAProxy');
      expect(text(first)).toContain('http_auth_group');
      expect(text(first)).toContain('userlist');
    },
  );

  it.skipIf(!nginxBinary())(
    'nginx auth_basic, a wrong password: the password named, with the words of its error log',
    async () => {
      const r = await causes([`${nginx!.url}/basic/x`, '-u', 'alice:hunter2']);
      expect(r.code).toBe(1);
      const first = r.causes[0]!;
      expect(first.id).toBe('credentials.rejected');
      expect(first.title).toBe('The server refused the password for user alice');
      expect(text(first)).toContain('password mismatch');
    },
  );
});

describe('Digest (Apache mod_auth_digest), which why401 does not answer', () => {
  it.skipIf(!apacheBinary())(
    '`--digest -u bob:s3cret`: the credentials were given but not sent; never "send Digest credentials"',
    async () => {
      const r = await causes([`${apache!.url}/digest/index.html`, '--digest', '-u', 'bob:s3cret']);
      expect(r.code).toBe(1);
      const first = r.causes[0]!;
      expect(first.id).toBe('credentials.missing');
      expect(first.title).toBe(
        'The credentials were given but not sent: why401 does not answer Digest challenges',
      );
      expect(first.fix).toContain('`curl -v --digest -u user:password URL`');
      expect(first.fix).toContain('realm "private"');
      // Advice to send what was already sent is a bug.
      for (const f of r.causes) expect(f.fix ?? '').not.toMatch(/Send Digest credentials/);
      // "This request cannot perform Digest" is the same explanation, folded into the first.
      expect(r.causes.map((f) => f.id)).not.toContain('server.unsupported-challenge');
      expect(first.absorbed).toContain('server.unsupported-challenge');
    },
  );
});
