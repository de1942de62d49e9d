import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/model/evidence.js';
import { directProbePlan, noproxyMatch, resolveProxy } from '../../src/probe/proxy.js';
import { parseProxyUrl, proxyDisplay } from '../../src/parse/proxy-url.js';
import { ev } from '../support/evidence.js';

const P = 'http://proxy.corp:3128';
const Q = 'http://other.corp:8080';

describe('resolveProxy: which variable, as curl reads them', () => {
  const cases: Array<{
    name: string;
    url: string;
    env?: Record<string, string | undefined>;
    cliProxy?: string;
    cliNoproxy?: string;
    want: { url: string; source: string; bypassed?: boolean; bypassRule?: string } | undefined;
  }> = [
    { name: 'nothing set', url: 'https://api.example.com/', want: undefined },
    {
      name: 'http: lower-case http_proxy',
      url: 'http://api.example.com/',
      env: { http_proxy: P },
      want: { url: P, source: 'http_proxy' },
    },
    {
      name: 'http: upper-case HTTP_PROXY is ignored (httpoxy)',
      url: 'http://api.example.com/',
      env: { HTTP_PROXY: P },
      want: undefined,
    },
    {
      name: 'http: HTTP_PROXY ignored, ALL_PROXY used instead',
      url: 'http://api.example.com/',
      env: { HTTP_PROXY: P, ALL_PROXY: Q },
      want: { url: Q, source: 'ALL_PROXY' },
    },
    {
      name: 'http: https_proxy does not apply to http targets',
      url: 'http://api.example.com/',
      env: { https_proxy: P, HTTPS_PROXY: P },
      want: undefined,
    },
    {
      name: 'https: https_proxy',
      url: 'https://api.example.com/',
      env: { https_proxy: P },
      want: { url: P, source: 'https_proxy' },
    },
    {
      name: 'https: HTTPS_PROXY',
      url: 'https://api.example.com/',
      env: { HTTPS_PROXY: P },
      want: { url: P, source: 'HTTPS_PROXY' },
    },
    {
      name: 'https: lower case wins over upper case',
      url: 'https://api.example.com/',
      env: { HTTPS_PROXY: Q, https_proxy: P },
      want: { url: P, source: 'https_proxy' },
    },
    {
      name: 'https: http_proxy does not apply to https targets',
      url: 'https://api.example.com/',
      env: { http_proxy: P },
      want: undefined,
    },
    {
      name: 'the scheme-specific variable wins over all_proxy',
      url: 'https://api.example.com/',
      env: { all_proxy: Q, HTTPS_PROXY: P },
      want: { url: P, source: 'HTTPS_PROXY' },
    },
    {
      name: 'all_proxy before ALL_PROXY',
      url: 'https://api.example.com/',
      env: { ALL_PROXY: Q, all_proxy: P },
      want: { url: P, source: 'all_proxy' },
    },
    {
      name: 'an empty variable counts as unset',
      url: 'https://api.example.com/',
      env: { https_proxy: '', HTTPS_PROXY: P },
      want: { url: P, source: 'HTTPS_PROXY' },
    },
    {
      name: '-x wins over the environment',
      url: 'https://api.example.com/',
      env: { https_proxy: Q },
      cliProxy: P,
      want: { url: P, source: '-x' },
    },
    {
      name: "-x '' disables every proxy, the environment's too",
      url: 'https://api.example.com/',
      env: { https_proxy: Q, ALL_PROXY: Q },
      cliProxy: '',
      want: undefined,
    },
    {
      name: 'NO_PROXY exempts a host from an environment proxy',
      url: 'https://api.example.com/',
      env: { https_proxy: P, NO_PROXY: 'localhost,api.example.com' },
      want: { url: P, source: 'https_proxy', bypassed: true, bypassRule: 'api.example.com' },
    },
    {
      name: 'NO_PROXY exempts a host from -x too (curl ≥ 7.53.0)',
      url: 'https://api.example.com/',
      env: { NO_PROXY: '.example.com' },
      cliProxy: P,
      want: { url: P, source: '-x', bypassed: true, bypassRule: '.example.com' },
    },
    {
      name: 'no_proxy wins over NO_PROXY',
      url: 'https://api.example.com/',
      env: { https_proxy: P, no_proxy: 'other.org', NO_PROXY: 'example.com' },
      want: { url: P, source: 'https_proxy' },
    },
    {
      name: 'an empty no_proxy falls through to NO_PROXY',
      url: 'https://api.example.com/',
      env: { https_proxy: P, no_proxy: '', NO_PROXY: 'example.com' },
      want: { url: P, source: 'https_proxy', bypassed: true, bypassRule: 'example.com' },
    },
    {
      name: '--noproxy replaces NO_PROXY',
      url: 'https://api.example.com/',
      env: { https_proxy: P, NO_PROXY: '*' },
      cliNoproxy: 'other.org',
      want: { url: P, source: 'https_proxy' },
    },
    {
      name: "--noproxy '' exempts nothing, whatever NO_PROXY says",
      url: 'https://api.example.com/',
      env: { https_proxy: P, NO_PROXY: '*' },
      cliNoproxy: '',
      want: { url: P, source: 'https_proxy' },
    },
    {
      name: "--noproxy '*' exempts every host from -x",
      url: 'https://api.example.com/',
      cliProxy: P,
      cliNoproxy: '*',
      want: { url: P, source: '-x', bypassed: true, bypassRule: '*' },
    },
    {
      name: 'NO_PROXY with no proxy configured says nothing',
      url: 'https://api.example.com/',
      env: { NO_PROXY: '*' },
      want: undefined,
    },
    {
      name: 'an IPv6 target matched by an IPv6 entry',
      url: 'http://[::1]:8080/',
      env: { http_proxy: P, no_proxy: 'localhost, ::1' },
      want: { url: P, source: 'http_proxy', bypassed: true, bypassRule: '::1' },
    },
    {
      name: 'not http(s): no proxy',
      url: 'ftp://files.example.com/',
      env: { ALL_PROXY: P },
      want: undefined,
    },
    { name: 'an unparsable URL: no proxy', url: 'not a url', env: { ALL_PROXY: P }, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o: Parameters<typeof resolveProxy>[1] = { env: c.env ?? {} };
      if (c.cliProxy !== undefined) o.cliProxy = c.cliProxy;
      if (c.cliNoproxy !== undefined) o.cliNoproxy = c.cliNoproxy;
      const got = resolveProxy(c.url, o);
      if (!c.want) expect(got).toBeUndefined();
      else expect(got).toEqual({ bypassed: false, ...c.want });
    });
  }
});

describe('noproxyMatch: lib/noproxy.c', () => {
  const cases: Array<[host: string, list: string, match: string | undefined]> = [
    // `*` alone matches everything; inside a list it is an ordinary entry
    ['api.example.com', '*', '*'],
    ['10.1.2.3', '*', '*'],
    ['api.example.com', '*,foo', undefined],
    ['api.example.com', ' *', undefined],
    // names: exact, domain tail, leading/trailing dots, case
    ['example.com', 'example.com', 'example.com'],
    ['www.example.com', 'example.com', 'example.com'],
    ['a.b.example.com', '.example.com', '.example.com'],
    ['example.com', '.example.com', '.example.com'],
    ['nonexample.com', 'example.com', undefined],
    ['nonexample.com', '.example.com', undefined],
    ['example.com.evil.org', 'example.com', undefined],
    ['WWW.Example.COM', 'example.com', 'example.com'],
    ['www.example.com', 'EXAMPLE.COM.', 'EXAMPLE.COM.'],
    ['www.example.com.', 'example.com', 'example.com'],
    ['example.com', 'www.example.com', undefined],
    // list syntax: commas, blanks, empty entries; a blank without a comma ends the list
    ['b.org', 'a.org, b.org', 'b.org'],
    ['b.org', 'a.org,,, b.org', 'b.org'],
    ['b.org', '\ta.org\t,\tb.org', 'b.org'],
    ['b.org', 'a.org b.org', undefined],
    ['a.org', 'a.org b.org', 'a.org'],
    // no port syntax in curl: an entry with a port matches nothing
    ['api.example.com', 'api.example.com:443', undefined],
    ['localhost', 'localhost:8080', undefined],
    // IPv4: exact, CIDR, never by name
    ['192.168.1.7', '192.168.1.7', '192.168.1.7'],
    ['192.168.1.7', '192.168.0.0/16', '192.168.0.0/16'],
    ['192.169.1.7', '192.168.0.0/16', undefined],
    ['10.200.3.4', '10.0.0.0/8', '10.0.0.0/8'],
    ['10.200.3.4', '10.0.0.0/33', undefined],
    ['10.200.3.4', '10.0.0.0/x', undefined],
    ['10.0.0.1', '10.0.0.0/0', undefined],
    ['10.0.0.0', '10.0.0.0/32', '10.0.0.0/32'],
    ['10.0.0.1', '.0.0.1', undefined],
    ['127.0.0.1', 'localhost', undefined],
    // a name is never matched by an IP entry
    ['localhost', '127.0.0.1', undefined],
    // IPv6: brackets in the URL, none in the list; CIDR; compressed forms compare by value
    ['[::1]', '::1', '::1'],
    ['[::1]', '[::1]', undefined],
    ['[::1]', '0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:1'],
    ['[fd12:3456::1]', 'fd00::/8', 'fd00::/8'],
    ['[fe80::1]', 'fd00::/8', undefined],
    ['[2001:db8::8:800:200c:417a]', '2001:db8::/32', '2001:db8::/32'],
    ['[2001:db9::1]', '2001:db8::/32', undefined],
    ['[::ffff:10.1.2.3]', '::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104'],
    ['[2001:db8::1]', '2001:db8::1/129', undefined],
    ['10.1.2.3', '::ffff:10.1.2.3', undefined],
  ];
  for (const [host, list, match] of cases) {
    it(`${host} against ${JSON.stringify(list)} → ${match ?? 'no match'}`, () => {
      expect(noproxyMatch(host, list)).toBe(match);
    });
  }
  it('an empty list or an empty host matches nothing', () => {
    expect(noproxyMatch('a.org', '')).toBeUndefined();
    expect(noproxyMatch('', '*')).toBeUndefined();
  });
});

describe('parseProxyUrl and proxyDisplay: curl defaults, never the password', () => {
  it('no scheme means http://, no port means 1080', () => {
    expect(parseProxyUrl('proxy.corp')).toMatchObject({
      scheme: 'http',
      hostname: 'proxy.corp',
      port: 1080,
      origin: 'http://proxy.corp:1080',
      defaultPort: true,
    });
  });
  it('an https:// proxy defaults to 443', () => {
    expect(parseProxyUrl('https://proxy.corp')).toMatchObject({
      port: 443,
      origin: 'https://proxy.corp:443',
    });
  });
  it('user and password are URL-decoded', () => {
    expect(parseProxyUrl('http://al%40ice:p%3Ass@proxy.corp:3128')).toMatchObject({
      username: 'al@ice',
      password: 'p:ss',
      origin: 'http://proxy.corp:3128',
    });
  });
  it('IPv6 proxies keep their brackets in the origin only', () => {
    expect(parseProxyUrl('http://[::1]:3128')).toMatchObject({
      hostname: '::1',
      origin: 'http://[::1]:3128',
    });
  });
  it('unknown schemes and empty URLs are problems, not crashes', () => {
    expect(parseProxyUrl('gopher://x')).toEqual({ problem: 'curl knows no gopher:// proxies' });
    expect(parseProxyUrl('  ')).toEqual({ problem: 'the proxy URL is empty' });
  });
  it('the display form never shows credentials', () => {
    expect(proxyDisplay('http://bob:hunter2@proxy.corp:3128/')).toBe('http://proxy.corp:3128');
    expect(proxyDisplay('bob:hunter2@proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(proxyDisplay('gopher://bob:hunter2@x')).toBe('…@x');
  });
});

describe('directProbePlan', () => {
  const proxy = { url: P, source: 'HTTPS_PROXY', bypassed: false };
  const withProxy = (e: Evidence, p: Evidence['proxy'] = proxy): Evidence => {
    if (p) e.proxy = p;
    return e;
  };
  it('sends after a 401 through the proxy', () => {
    expect(directProbePlan(withProxy(ev({ status: 401 })))).toEqual({ send: true });
  });
  it('sends after a 403, a 407, a 502 and a connect error', () => {
    for (const status of [403, 407, 502, 503, 504])
      expect(directProbePlan(withProxy(ev({ status }))).send).toBe(true);
    const e = ev({ error: { phase: 'connect', code: 'ECONNREFUSED', message: 'x' } });
    expect(directProbePlan(withProxy(e)).send).toBe(true);
    const t = ev({ error: { phase: 'connect', code: 'ERR_PROXY_TUNNEL', message: 'x' } });
    expect(directProbePlan(withProxy(t)).send).toBe(true);
  });
  it('sends after a 500 only when the proxy marked it (Proxy-Status, X-Squid-Error)', () => {
    expect(directProbePlan(withProxy(ev({ status: 500 }))).send).toBe(false);
    const marked = ev({ status: 500, responseHeaders: { 'Proxy-Status': 'squid; error=dns_timeout' } });
    expect(directProbePlan(withProxy(marked)).send).toBe(true);
  });
  it('not after a success or a 404', () => {
    expect(directProbePlan(withProxy(ev({ status: 200 }))).send).toBe(false);
    const r = directProbePlan(withProxy(ev({ status: 404 })));
    expect(r.send).toBe(false);
    expect(r.reason).toContain('404');
  });
  it('not without a proxy, nor when NO_PROXY exempted the host', () => {
    expect(directProbePlan(ev({ status: 401 }))).toEqual({
      send: false,
      reason: 'no proxy is in effect: the request already went direct',
    });
    const r = directProbePlan(
      withProxy(ev({ status: 401 }), { ...proxy, bypassed: true, bypassRule: '.example.com' }),
    );
    expect(r.send).toBe(false);
    expect(r.reason).toContain('NO_PROXY entry ".example.com"');
  });
  it('an unsafe method needs --allow-replay', () => {
    const post = withProxy(ev({ method: 'POST', status: 401 }));
    expect(directProbePlan(post)).toEqual({
      send: false,
      reason: 'POST is not a safe method; pass --allow-replay to send it again without the proxy',
    });
    expect(directProbePlan(post, { allowReplay: true })).toEqual({ send: true });
  });
  it('not with --no-probes, not offline, not after the time limit ran out', () => {
    expect(directProbePlan(withProxy(ev({ status: 401 })), { probes: false }).send).toBe(false);
    const off = withProxy(ev({ status: 401 }));
    off.offline = true;
    expect(directProbePlan(off).send).toBe(false);
    const aborted = ev({ error: { phase: 'aborted', code: 'TimeoutError', message: 'x' } });
    expect(directProbePlan(withProxy(aborted)).send).toBe(false);
  });
});
