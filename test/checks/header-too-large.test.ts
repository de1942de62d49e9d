import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import check, { sentSizes, size } from '../../src/checks/header-too-large.js';
import { testCheck } from '../support/check-tester.js';
import { ev, type EvInput } from '../support/evidence.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWT (unsigned: the check never verifies) whose `groups` claim has `n` entries. */
function jwtWithGroups(n: number, iss = 'https://idp.example.com/'): string {
  const groups = Array.from(
    { length: n },
    (_, i) => `5f3c2a9e-41b7-4c8d-9e0f-${String(i).padStart(12, '0')}`,
  );
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss, sub: 'u1', aud: 'api', groups })}.c2lnbmF0dXJl`;
}

const BIG = jwtWithGroups(760); // about 40 KB
const SMALL = jwtWithGroups(2);
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

/** nginx 1.22.1's 400 page for a 494 (ngx_http_error_494_page), as measured in test/e2e/header-too-large.test.ts. */
const NGINX_494_PAGE =
  '<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const NGINX_400_PAGE =
  '<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const APACHE_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>400 Bad Request</title>\n</head><body>\n<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not understand.<br />\nSize of a request header field exceeds server limit.<br />\n</p>\n<hr>\n<address>Apache/2.4.62 (Debian) Server at api.example.com Port 443</address>\n</body></html>\n';
const HTTPSYS_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n<HTML><HEAD><TITLE>Bad Request</TITLE>\r\n<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n<BODY><h2>Bad Request - Request Too Long</h2>\r\n<hr><p>HTTP Error 400. The size of the request headers is too long.</p>\r\n</BODY></HTML>\r\n';
const TOMCAT_PAGE =
  '<!doctype html><html lang="en"><head><title>HTTP Status 400 – Bad Request</title></head><body><h1>HTTP Status 400 – Bad Request</h1><hr class="line" /><p><b>Type</b> Exception Report</p><p><b>Message</b> Request header is too large</p><p><b>Description</b> The server cannot or will not process the request due to something that is perceived to be a client error.</p></body></html>';
/** Node's canned answer: `HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n`. */
const NODE_431 = { status: 431, responseHeaders: { connection: 'close' }, responseBody: '' };

const cookies = (n: number, each: number) =>
  Array.from({ length: n }, (_, i) => `c${i}=${'v'.repeat(each)}`).join('; ');

testCheck(check, {
  valid: [
    {
      name: "the application's own 401 to a normal token",
      input: {
        headers: bearer(SMALL),
        status: 401,
        responseHeaders: { 'www-authenticate': 'Bearer error="invalid_token"' },
      },
    },
    {
      name: 'a big token that got through (200)',
      input: { headers: bearer(BIG), status: 200, responseBody: '{"ok":true}' },
    },
    {
      name: "nginx's plain 400 page to a small request is something else",
      input: {
        headers: bearer(SMALL),
        status: 400,
        responseHeaders: { server: 'nginx/1.22.1' },
        responseBody: NGINX_400_PAGE,
      },
    },
    {
      name: '413 for a body is not about headers',
      input: {
        method: 'POST',
        headers: bearer(SMALL),
        status: 413,
        responseHeaders: { server: 'nginx/1.22.1' },
        responseBody: '<html><head><title>413 Request Entity Too Large</title></head></html>',
      },
    },
    {
      name: 'a connection reset after a small request',
      input: {
        headers: bearer(SMALL),
        error: { phase: 'connect', code: 'ECONNRESET', message: 'the server closed the connection' },
      },
    },
    {
      name: 'a big request that did not resolve is a DNS problem, not a size problem',
      input: {
        headers: bearer(BIG),
        error: { phase: 'dns', code: 'ENOTFOUND', message: 'the host name does not resolve (DNS)' },
      },
    },
    {
      name: 'a bare 400 from nginx to a request within its limit',
      input: {
        headers: { Cookie: cookies(10, 100) },
        status: 400,
        responseHeaders: { server: 'nginx' },
        responseBody: NGINX_400_PAGE,
      },
    },
  ],
  invalid: [
    {
      name: "nginx's 400 Request Header Or Cookie Too Large to a 40 KB JWT",
      input: {
        headers: bearer(BIG),
        status: 400,
        responseHeaders: { server: 'nginx/1.22.1', 'content-type': 'text/html', connection: 'close' },
        responseBody: NGINX_494_PAGE,
        anonymous: { status: 401, responseHeaders: { 'www-authenticate': 'Bearer realm="api"' } },
      },
      expect: {
        id: 'header.too-large',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: [
          'nginx',
          'Request Header Or Cookie Too Large',
          'large_client_header_buffers',
          '8 KiB',
          '`groups` with 760 entries',
          'without credentials got 401',
        ],
        evidence: [
          { where: 'request.header.authorization' },
          { where: 'token.groups' },
          { where: 'response.body', value: 'Request Header Or Cookie Too Large' },
          { where: 'response.header.server', value: 'nginx/1.22.1' },
        ],
      },
    },
    {
      name: "Node's canned 431 (no Date, no Server, no body)",
      input: { headers: bearer(BIG), ...NODE_431 },
      expect: {
        confidence: 'confirmed',
        title: 'Node.js refused the request because its headers are too large (Authorization: 38.8 KiB)',
        mentions: ['431', '--max-http-header-size', '16 KiB'],
        evidence: [{ where: 'response.status', value: '431' }],
      },
    },
    {
      name: 'Apache: Size of a request header field exceeds server limit, to a pile of cookies',
      input: {
        headers: { Cookie: cookies(40, 300) },
        status: 400,
        responseHeaders: { server: 'Apache/2.4.62 (Debian)' },
        responseBody: APACHE_PAGE,
      },
      expect: {
        confidence: 'confirmed',
        mentions: [
          'Apache httpd',
          'Size of a request header field exceeds server limit',
          'LimitRequestFieldSize',
          '40 cookies',
        ],
        evidence: [{ where: 'request.header.cookie' }],
      },
    },
    {
      name: 'HTTP.sys: The size of the request headers is too long',
      input: {
        headers: bearer(BIG),
        status: 400,
        responseHeaders: { server: 'Microsoft-HTTPAPI/2.0', 'content-type': 'text/html; charset=us-ascii' },
        responseBody: HTTPSYS_PAGE,
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['IIS / HTTP.sys', 'MaxFieldLength', 'The size of the request headers is too long'],
      },
    },
    {
      name: 'Tomcat: Request header is too large',
      input: { headers: bearer(BIG), status: 400, responseBody: TOMCAT_PAGE },
      expect: { confidence: 'confirmed', mentions: ['Apache Tomcat', 'maxHttpHeaderSize'] },
    },
    {
      name: "Envoy's 431",
      input: { headers: bearer(jwtWithGroups(1700)), status: 431, responseHeaders: { server: 'envoy' } },
      expect: { confidence: 'confirmed', mentions: ['Envoy', 'max_request_headers_kb', '60 KiB'] },
    },
    {
      name: 'a 431 from a server we cannot name still says so (RFC 6585 §5)',
      input: {
        headers: bearer(BIG),
        status: 431,
        responseHeaders: { date: 'Fri, 27 Nov 2026 12:00:00 GMT', 'content-type': 'text/plain' },
        responseBody: 'Request Header Fields Too Large',
      },
      expect: {
        confidence: 'confirmed',
        title: 'The server refused the request because its headers are too large (Authorization: 38.8 KiB)',
        mentions: ['RFC 6585'],
      },
    },
    {
      name: "494, nginx's own status",
      input: { headers: bearer(BIG), status: 494, responseHeaders: { server: 'nginx' } },
      expect: { confidence: 'confirmed', mentions: ['494'] },
    },
    {
      name: "413 with a header message (a server's own words)",
      input: {
        headers: { Cookie: cookies(30, 300) },
        status: 413,
        responseBody:
          'Bad Request\nYour browser sent a request that this server could not understand.\nSize of request header field exceeds server limit',
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['413', 'Size of request header field exceeds server limit'],
      },
    },
    {
      name: 'a bare 400 from an AWS ALB to a header over its 16 KiB',
      input: {
        headers: bearer(BIG),
        status: 400,
        responseHeaders: { server: 'awselb/2.0', 'content-type': 'text/html' },
        responseBody:
          '<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n',
      },
      expect: {
        confidence: 'likely',
        mentions: ['AWS Application Load Balancer', 'without saying why', 'fixed'],
      },
    },
    {
      name: 'the connection was reset after a 40 KB head',
      input: {
        headers: bearer(BIG),
        error: {
          phase: 'connect',
          code: 'ECONNRESET',
          message: 'the server closed the connection (read ECONNRESET)',
        },
        anonymous: { status: 401 },
      },
      expect: {
        confidence: 'likely',
        mentions: ['ECONNRESET', 'without credentials got 401'],
        evidence: [
          { where: 'error.connect', value: 'ECONNRESET' },
          { where: 'request.header.authorization' },
        ],
      },
    },
    {
      name: 'an Entra ID token: the group overage and the groups assigned to the application',
      input: {
        headers: bearer(
          jwtWithGroups(760, 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0'),
        ),
        ...NODE_431,
      },
      expect: { fix: expect.stringContaining('200 groups') as unknown as string },
    },
  ],
});

function findingFor(input: EvInput) {
  const facts = deriveFacts(ev(input));
  return check.run(facts).map((d) => toFinding(check.meta, d));
}

describe('header.too-large never shows a value', () => {
  it('names sizes and claim names, never the token, a cookie value or a group', () => {
    const cookie = `session=${'s3cr3t'.repeat(2000)}; theme=dark`;
    const [f] = findingFor({ headers: { ...bearer(BIG), Cookie: cookie }, ...NODE_431 });
    const text = JSON.stringify(f);
    expect(text).not.toContain(BIG.slice(40, 80));
    expect(text).not.toContain('s3cr3ts3cr3t');
    expect(text).not.toContain('5f3c2a9e-41b7');
    expect(text).toContain('`session`');
    for (const e of f!.evidence.filter((e) => e.where.startsWith('request.header.')))
      expect(e.value).toMatch(/bytes/);
  });
});

describe('sentSizes', () => {
  it('counts the request line, Host and every header line in bytes (UTF-8)', () => {
    const facts = deriveFacts(
      ev({ url: 'https://api.example.com/v1/me', headers: { 'X-Name': 'é' }, status: 200 }),
    );
    const s = sentSizes(facts);
    // "GET /v1/me HTTP/1.1\r\n" 21 + "Host: api.example.com\r\n" 23 + "X-Name: é\r\n" 12 + "\r\n" 2
    expect(s.total).toBe(21 + 23 + 12 + 2);
    expect(s.lines).toBe(2);
    expect(s.largest).toEqual({ name: 'Host', bytes: 23 });
  });
  it('counts cookies and names the largest, and the largest claim of a JWT', () => {
    const facts = deriveFacts(
      ev({ headers: { ...bearer(BIG), Cookie: 'a=1; big=xxxxxxxxxx; c=3' }, status: 400 }),
    );
    const s = sentSizes(facts);
    expect(s.cookie).toMatchObject({ count: 3, largest: { name: 'big', bytes: 14 } });
    expect(s.token?.largestClaim).toMatchObject({ name: 'groups', entries: 760 });
    expect(s.largest?.name).toBe('Authorization');
  });
  it('writes sizes for people', () => {
    expect(size(812)).toBe('812 bytes');
    expect(size(40_066)).toBe('39.1 KiB (40,066 bytes)');
  });
});
