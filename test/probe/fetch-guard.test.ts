import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { addressClass, FetchGuard, hostClass, MAX_FETCH_HOSTS } from '../../src/probe/fetch-guard.js';

/** No test here sends a packet: the target's resolution is a stub, and only `localhost` is looked up. */
const publicTarget = { target: 'https://api.example.com/v1', resolve: async () => ['93.184.216.34'] };

describe('address classes', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['224.0.0.1', 'reserved'],
    ['ff02::1', 'reserved'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (ip, cls) => expect(addressClass(ip)).toBe(cls));

  it('names: metadata hosts and localhost', () => {
    expect(hostClass('metadata.google.internal')).toBe('metadata');
    expect(hostClass('METADATA.GOOGLE.INTERNAL.')).toBe('metadata');
    expect(hostClass('localhost')).toBe('loopback');
    expect(hostClass('api.localhost')).toBe('loopback');
    expect(hostClass('login.example.com')).toBeUndefined();
  });
});

describe('FetchGuard', () => {
  it('refuses link-local, metadata, unspecified and non-http(s) whatever the target', async () => {
    const g = new FetchGuard({ trusted: [], allowPrivate: true, target: 'http://127.0.0.1:8080/' });
    expect(await g.refusal('http://169.254.169.254/latest/meta-data/')).toMatch(
      /^not fetched: 169\.254\.169\.254 is a cloud metadata address/,
    );
    expect(await g.refusal('http://metadata.google.internal/computeMetadata/v1/')).toMatch(/cloud metadata/);
    expect(await g.refusal('http://[fe80::1]/jwks')).toMatch(/link-local/);
    expect(await g.refusal('http://0.0.0.0:8080/jwks')).toMatch(/unspecified/);
    expect(await g.refusal('file:///etc/passwd')).toMatch(/only http and https/);
    expect(await g.refusal('gopher://127.0.0.1/')).toMatch(/only http and https/);
  });

  it('private and loopback only beside a private target, or with --allow-private-fetch', async () => {
    const strict = new FetchGuard({ trusted: [], allowPrivate: false, ...publicTarget });
    expect(await strict.refusal('http://10.0.0.5/.well-known/openid-configuration')).toMatch(
      /10\.0\.0\.5 is a private-network address .* --allow-private-fetch/,
    );
    expect(await strict.refusal('http://localhost:8080/jwks')).toMatch(/loopback/);
    const allowed = new FetchGuard({ trusted: [], allowPrivate: true, ...publicTarget });
    expect(await allowed.refusal('http://10.0.0.5/jwks')).toBeUndefined();
    const local = new FetchGuard({ trusted: [], allowPrivate: false, target: 'http://127.0.0.1:3000/api' });
    expect(await local.refusal('http://192.168.1.20:8080/realms/x')).toBeUndefined();
  });

  it(`reaches at most ${MAX_FETCH_HOSTS} hosts of its own; the origins the user named are not counted`, async () => {
    const g = new FetchGuard({
      trusted: ['https://login.example.com/'],
      allowPrivate: false,
      ...publicTarget,
    });
    expect(await g.refusal('https://login.example.com/.well-known/openid-configuration')).toBeUndefined();
    for (let i = 1; i <= MAX_FETCH_HOSTS; i++)
      expect(await g.refusal(`https://h${i}.example.net/x`)).toBeUndefined();
    expect(await g.refusal('https://h1.example.net/again')).toBeUndefined();
    expect(await g.refusal('https://h5.example.net/x')).toMatch(/host number 5 .*at most 4/);
  });

  it('checks the resolved address: a name that resolves to loopback is refused at connection time', async () => {
    const g = new FetchGuard({ trusted: [], allowPrivate: false, ...publicTarget });
    const result = await new Promise<{ err: NodeJS.ErrnoException | null; addrs: unknown }>((ok) =>
      g.lookup('localhost', { all: true }, (err, addrs) => ok({ err, addrs })),
    );
    expect(result.err?.code).toBe('EFETCHREFUSED');
    expect(result.err?.message).toMatch(
      /^not fetched: (127\.0\.0\.1|::1) \(the address of localhost\) is a loopback address/,
    );
    const ok = new FetchGuard({ trusted: [], allowPrivate: true, ...publicTarget });
    const addrs = await new Promise<LookupAddress[]>((done, fail) =>
      ok.lookup('localhost', { all: true }, (err, a) => (err ? fail(err) : done(a as LookupAddress[]))),
    );
    expect(addrs.length).toBeGreaterThan(0);
  });
});
