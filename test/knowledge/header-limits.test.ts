import { describe, expect, it } from 'vitest';
import {
  HEADER_LIMITS,
  commonLimitExceeded,
  headerLineBytes,
  limitByServer,
  looksLikeNodeCanned431,
  matchHeaderTooLarge,
  utf8Length,
  type LimitResponse,
} from '../../src/knowledge/header-limits.js';
import type { HeaderList } from '../../src/model/http.js';

const answer = (status: number, headers: Record<string, string> | HeaderList, body = ''): LimitResponse => ({
  status,
  headers: Array.isArray(headers) ? headers : Object.entries(headers),
  body,
});

/** One real answer per entry: the product's own page or status, as it sends it. */
const SAMPLES: Record<string, LimitResponse> = {
  nginx: answer(
    400,
    { server: 'nginx/1.22.1', 'content-type': 'text/html', connection: 'close' },
    '<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
  ),
  node: answer(431, [['connection', 'close']]),
  apache: answer(
    400,
    { server: 'Apache/2.4.62 (Debian)', 'content-type': 'text/html; charset=iso-8859-1' },
    '<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not understand.<br />\nSize of a request header field exceeds server limit.<br />\n</p>',
  ),
  iis: answer(
    400,
    { server: 'Microsoft-HTTPAPI/2.0', 'content-type': 'text/html; charset=us-ascii' },
    '<HTML><HEAD><TITLE>Bad Request</TITLE></HEAD>\r\n<BODY><h2>Bad Request - Request Too Long</h2>\r\n<hr><p>HTTP Error 400. The size of the request headers is too long.</p>\r\n</BODY></HTML>\r\n',
  ),
  tomcat: answer(
    400,
    { 'content-type': 'text/html;charset=utf-8', 'content-language': 'en' },
    '<h1>HTTP Status 400 – Bad Request</h1><hr class="line" /><p><b>Type</b> Exception Report</p><p><b>Message</b> Request header is too large</p>',
  ),
  envoy: answer(431, { server: 'envoy', 'content-length': '31' }, 'Request Header Fields Too Large'),
};

describe('header-limits knowledge base', () => {
  it('every entry has a source, a product, a limit, a way to raise it and statuses', () => {
    for (const e of HEADER_LIMITS) {
      expect(e.source, e.id).toMatch(/https:\/\/|[a-z0-9-]+\/[a-z0-9-]+:/);
      expect(e.perHeader ?? e.total, e.id).toBeGreaterThan(1000);
      expect(e.limitWords.length).toBeGreaterThan(20);
      expect(e.raiseWhere.length).toBeGreaterThan(10);
      expect(e.statuses.length).toBeGreaterThan(0);
    }
    expect(new Set(HEADER_LIMITS.map((e) => e.id)).size).toBe(HEADER_LIMITS.length);
  });

  it('the numbers read in the sources', () => {
    const by = Object.fromEntries(HEADER_LIMITS.map((e) => [e.id, e]));
    expect(by.nginx).toMatchObject({ perHeader: 8192, statuses: [400, 494] });
    expect(by.node).toMatchObject({ total: 16384, statuses: [431] });
    expect(by.apache).toMatchObject({ perHeader: 8190 });
    expect(by.iis).toMatchObject({ perHeader: 16384, total: 16384 });
    expect(by.tomcat).toMatchObject({ total: 8192 });
    expect(by.envoy).toMatchObject({ total: 61440, statuses: [431] });
    expect(by['aws-alb']).toMatchObject({ perHeader: 16384, total: 65536 });
  });

  for (const id of ['nginx', 'node', 'apache', 'iis', 'tomcat', 'envoy']) {
    it(`recognises ${id}'s own answer`, () => {
      const m = matchHeaderTooLarge(SAMPLES[id]!);
      expect(m?.entry?.id).toBe(id);
    });
  }

  it("quotes nginx's words and Apache's", () => {
    expect(matchHeaderTooLarge(SAMPLES.nginx!)).toMatchObject({
      how: 'words',
      quote: 'Request Header Or Cookie Too Large',
    });
    expect(matchHeaderTooLarge(SAMPLES.apache!)?.quote).toBe(
      'Size of a request header field exceeds server limit.',
    );
  });

  it('494 is nginx; a 431 from an unknown server is still RFC 6585 §5', () => {
    expect(matchHeaderTooLarge(answer(494, {}))?.entry?.id).toBe('nginx');
    const m = matchHeaderTooLarge(answer(431, { date: 'Fri, 27 Nov 2026 12:00:00 GMT', server: 'gunicorn' }));
    expect(m).toMatchObject({ how: 'status-431' });
    expect(m?.entry).toBeUndefined();
  });

  it("Node's canned 431 only: an application's own 431 has a Date", () => {
    expect(looksLikeNodeCanned431(SAMPLES.node!)).toBe(true);
    expect(
      looksLikeNodeCanned431(answer(431, { connection: 'close', date: 'Fri, 27 Nov 2026 12:00:00 GMT' })),
    ).toBe(false);
    expect(looksLikeNodeCanned431(answer(431, { connection: 'close' }, 'too big'))).toBe(false);
  });

  it('stays quiet on other answers', () => {
    expect(
      matchHeaderTooLarge(answer(400, { server: 'nginx' }, '<center><h1>400 Bad Request</h1></center>')),
    ).toBeUndefined();
    expect(
      matchHeaderTooLarge(answer(413, { server: 'nginx' }, '<title>413 Request Entity Too Large</title>')),
    ).toBeUndefined();
    expect(matchHeaderTooLarge(answer(401, {}, 'Request Header Or Cookie Too Large'))).toBeUndefined();
    expect(matchHeaderTooLarge(answer(200, { server: 'envoy' }))).toBeUndefined();
  });

  it('names the product from the Server header', () => {
    expect(limitByServer([['Server', 'awselb/2.0']])?.entry.id).toBe('aws-alb');
    expect(limitByServer([['Server', 'istio-envoy']])?.entry.id).toBe('envoy');
    expect(limitByServer([['Server', 'Microsoft-IIS/10.0']])?.entry.id).toBe('iis');
    expect(limitByServer([['Server', 'cloudflare']])).toBeUndefined();
  });

  it('measures bytes as they go on the wire', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(headerLineBytes('Cookie', 'a=1')).toBe('Cookie: a=1\r\n'.length);
  });

  it('the highest common limit a request exceeds', () => {
    expect(commonLimitExceeded(2000, 4000)).toBeUndefined();
    expect(commonLimitExceeded(8191, 9500)).toMatchObject({
      entry: { id: 'tomcat' },
      what: 'total',
      limit: 8192,
    });
    expect(commonLimitExceeded(40_000, 40_100)).toMatchObject({ entry: { id: 'nginx' }, limit: 32768 });
    expect(commonLimitExceeded(70_000, 70_100)).toMatchObject({ entry: { id: 'aws-alb' }, limit: 65536 });
  });
});
