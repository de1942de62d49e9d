import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURL_FLAGS,
  CURL_OTHER_FLAGS,
  CurlParseError,
  lookupCurlFlag,
  parseCurlArgs,
  parseCurlCommand,
  proxyHeaderList,
  type CurlParse,
} from '../../src/parse/curl/index.js';
import { splitWhy401Args } from '../../src/cli/argv.js';

/** Headers of a parse, as [name, value] pairs. */
const headersOf = (p: CurlParse) => p.request.headers;
/** [name, value, origin] triples: origins must run parallel to headers. */
const withOrigins = (p: CurlParse) => {
  expect(p.request.headerOrigins).toHaveLength(p.request.headers.length);
  return p.request.headers.map(([n, v], i) => [n, v, p.request.headerOrigins?.[i]]);
};
const args = (...a: string[]) => parseCurlArgs(a);
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

// ---------------------------------------------------------------------------------------------
// Real pastes (as they reach the clipboard: String.raw keeps every backslash)
// ---------------------------------------------------------------------------------------------

const CHROME_BASH = String.raw`curl 'https://api.example.com/v1/orders?limit=20' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'accept-language: en-GB,en;q=0.9' \
  -H 'authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.c2ln' \
  -H 'content-type: application/json' \
  -b '_ga=GA1.1.123456; session=s%3Aabc.def' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/orders' \
  -H 'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "macOS"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: same-site' \
  -H 'user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' \
  --data-raw $'{"customer":"O\'Brien","city":"Montr\u00e9al","note":"urgent\u0021\nsecond line","path":"C:\\\\tmp"}' \
  --compressed`;

const FIREFOX = String.raw`curl 'https://api.example.com/graphql' --compressed -X POST -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' -H 'Accept: */*' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br' -H 'Referer: https://app.example.com/' -H 'content-type: application/json' -H 'authorization: Bearer abc.def.ghi' -H 'Origin: https://app.example.com' -H 'Connection: keep-alive' -H 'Cookie: csrftoken=xyz; sessionid=9f8e7d' -H 'Sec-Fetch-Dest: empty' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Site: same-site' -H 'TE: trailers' --data-raw '{"query":"{ me { name } }","variables":{"note":"it'\''s"}}'`;

const SAFARI = String.raw`curl 'https://api.example.com/v1/profile' \
-X 'PUT' \
-H 'Content-Type: application/json' \
-H 'Accept: application/json' \
-H 'Authorization: Basic YWxpY2U6czNjcmV0' \
-H 'Sec-Fetch-Site: same-site' \
-H 'Accept-Language: en-GB,en;q=0.9' \
-H 'Accept-Encoding: gzip, deflate, br' \
-H 'Sec-Fetch-Mode: cors' \
-H 'Origin: https://app.example.com' \
-H 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15' \
-H 'Referer: https://app.example.com/' \
-H 'Content-Length: 20' \
-H 'Sec-Fetch-Dest: empty' \
-H 'Cookie: sid=abc123' \
--data-binary '{"displayName":"A"}'`;

const POSTMAN = String.raw`curl --location 'https://api.example.com/v2/items?page=1' \
--header 'Content-Type: application/json' \
--header 'X-Api-Key: {{apiKey}}' \
--header 'Authorization: Bearer eyJ0eXAiOiJKV1QifQ.e30.sig' \
--header 'Cookie: AWSALB=abc; AWSALBCORS=abc' \
--data '{
    "name": "widget",
    "price": 9.99
}'`;

const POSTMAN_OLD_CRLF =
  "curl --location --request POST 'https://api.example.com/v1/token' \\\r\n" +
  "--header 'Content-Type: application/x-www-form-urlencoded' \\\r\n" +
  "--data-urlencode 'grant_type=client_credentials' \\\r\n" +
  "--data-urlencode 'client_id=my app' \\\r\n" +
  "--data-urlencode 'client_secret=s3cr&t'\r\n";

// Chrome's "Copy as cURL (cmd)": every argument in ^"…^", ^ before every character cmd might
// touch, \" for a quote, ^ + newline line ends.
const CHROME_CMD = [
  'curl ^"https://api.example.com/v1/search?q=caf^%^C3^%^A9^&page=2^" ^',
  '  -H ^"accept: application/json^" ^',
  '  -H ^"authorization: Bearer abc.def^" ^',
  '  -b ^"sid=abc; theme=dark^" ^',
  '  --data-raw ^"^{^\\^"name^\\^":^\\^"caf^é 100^%^\\^"^}^" ^',
  '  --compressed',
].join('\r\n');

describe('real pastes', () => {
  it('reads Chrome "Copy as cURL (bash)" with $\'…\' quoting, -b and --compressed', () => {
    const p = parseCurlCommand(CHROME_BASH);
    expect(p.warnings).toEqual([]);
    expect(p.request.method).toBe('POST');
    expect(p.request.url).toBe('https://api.example.com/v1/orders?limit=20');
    expect(p.request.compressed).toBe(true);
    expect(p.request.body).toBe(
      '{"customer":"O\'Brien","city":"Montréal","note":"urgent!\nsecond line","path":"C:\\\\tmp"}',
    );
    const h = withOrigins(p);
    expect(h).toContainEqual(['Cookie', '_ga=GA1.1.123456; session=s%3Aabc.def', 'cookie']);
    expect(h).toContainEqual([
      'authorization',
      'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.c2ln',
      'header',
    ]);
    expect(h).toContainEqual([
      'sec-ch-ua',
      '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
      'header',
    ]);
    // The paste's own content-type is kept; curl's form default is not added.
    expect(headersOf(p).filter(([n]) => n.toLowerCase() === 'content-type')).toEqual([
      ['content-type', 'application/json'],
    ]);
    expect(headersOf(p)).toHaveLength(15);
  });

  it("reads Firefox's one-line paste with '\\'' inside the data", () => {
    const p = parseCurlCommand(FIREFOX);
    expect(p.warnings).toEqual([]);
    expect(p.request.method).toBe('POST');
    expect(p.request.url).toBe('https://api.example.com/graphql');
    expect(p.request.body).toBe('{"query":"{ me { name } }","variables":{"note":"it\'s"}}');
    expect(headersOf(p)).toContainEqual(['Cookie', 'csrftoken=xyz; sessionid=9f8e7d']);
    expect(headersOf(p)).toContainEqual(['authorization', 'Bearer abc.def.ghi']);
    expect(headersOf(p)).toContainEqual(['Accept', '*/*']);
    expect(headersOf(p)).toHaveLength(14);
  });

  it("reads Safari's paste with -X 'PUT' and --data-binary", () => {
    const p = parseCurlCommand(SAFARI);
    expect(p.warnings).toEqual([]);
    expect(p.request.method).toBe('PUT');
    expect(p.request.body).toBe('{"displayName":"A"}');
    expect(headersOf(p)).toContainEqual(['Authorization', 'Basic YWxpY2U6czNjcmV0']);
    expect(headersOf(p)).toContainEqual(['Cookie', 'sid=abc123']);
    expect(headersOf(p)).toContainEqual(['Content-Length', '20']);
  });

  it("reads Postman's paste: --location, --header, multi-line --data, {{variables}} kept", () => {
    const p = parseCurlCommand(POSTMAN);
    expect(p.warnings).toEqual([]);
    expect(p.request.method).toBe('POST');
    expect(p.request.followRedirects).toBe(true);
    expect(p.request.url).toBe('https://api.example.com/v2/items?page=1');
    expect(p.request.body).toBe('{\n    "name": "widget",\n    "price": 9.99\n}');
    expect(withOrigins(p)).toEqual([
      ['Content-Type', 'application/json', 'header'],
      ['X-Api-Key', '{{apiKey}}', 'header'],
      ['Authorization', 'Bearer eyJ0eXAiOiJKV1QifQ.e30.sig', 'header'],
      ['Cookie', 'AWSALB=abc; AWSALBCORS=abc', 'header'],
    ]);
  });

  it('reads an older Postman paste with CRLF line ends and --data-urlencode', () => {
    const p = parseCurlCommand(POSTMAN_OLD_CRLF);
    expect(p.warnings).toEqual([]);
    expect(p.request.method).toBe('POST');
    expect(p.request.url).toBe('https://api.example.com/v1/token');
    expect(p.request.body).toBe('grant_type=client_credentials&client_id=my+app&client_secret=s3cr%26t');
    expect(headersOf(p)).toEqual([['Content-Type', 'application/x-www-form-urlencoded']]);
  });

  it('reads Chrome "Copy as cURL (cmd)" (^"…^" quoting, ^ line ends, ^% and \\" escapes)', () => {
    const p = parseCurlCommand(CHROME_CMD);
    expect(p.warnings).toEqual([]);
    expect(p.request.url).toBe('https://api.example.com/v1/search?q=caf%C3%A9&page=2');
    expect(p.request.method).toBe('POST');
    expect(p.request.body).toBe('{"name":"café 100%"}');
    expect(p.request.compressed).toBe(true);
    expect(withOrigins(p)).toEqual([
      ['Cookie', 'sid=abc; theme=dark', 'cookie'],
      ['accept', 'application/json', 'header'],
      ['authorization', 'Bearer abc.def', 'header'],
      ['Content-Type', 'application/x-www-form-urlencoded', 'header'],
    ]);
  });

  it('reads a hand-written cmd command with "…" quotes and ^ line ends', () => {
    const p = parseCurlCommand('curl "https://x.test/a b" ^\n  -H "Authorization: Bearer t" ^\n  -k');
    expect(p.request.url).toBe('https://x.test/a b');
    expect(headersOf(p)).toEqual([['Authorization', 'Bearer t']]);
    expect(p.request.insecure).toBe(true);
  });

  it('unescapes cmd carets: ^^ is ^, ^& is &, and \\\\" before a quote is one backslash', () => {
    const p = parseCurlCommand('curl ^"https://x.test/?a=1^&b=^^^" -H ^"X-Path: C:\\\\^"');
    expect(p.request.url).toBe('https://x.test/?a=1&b=^');
    expect(headersOf(p)).toEqual([['X-Path', 'C:\\']]);
  });

  it('says to copy as bash when a cmd paste has an unterminated quote', () => {
    expect(() => parseCurlCommand('curl ^"https://x.test/^" -H ^"a: b')).toThrow(/cURL \(bash\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

describe('method', () => {
  it('is GET by default, POST with a body, and -X overrides', () => {
    expect(args('https://x.test/').request.method).toBe('GET');
    expect(args('https://x.test/', '-d', 'a=1').request.method).toBe('POST');
    expect(args('https://x.test/', '-d', '').request.method).toBe('POST');
    expect(args('-X', 'DELETE', 'https://x.test/').request.method).toBe('DELETE');
    expect(args('--request', 'PATCH', 'https://x.test/', '-d', 'x').request.method).toBe('PATCH');
    expect(args('-XPUT', 'https://x.test/').request.method).toBe('PUT');
    expect(args('--request=OPTIONS', 'https://x.test/').request.method).toBe('OPTIONS');
  });

  it('keeps -X as written (curl sends "post" as is)', () => {
    expect(args('-X', 'post', 'https://x.test/').request.method).toBe('post');
  });

  it('-I is HEAD; -I with a body is refused by curl, so the body is dropped with a warning', () => {
    expect(args('-I', 'https://x.test/').request.method).toBe('HEAD');
    expect(args('--head', 'https://x.test/').request.method).toBe('HEAD');
    const p = args('-I', 'https://x.test/', '-d', 'a=1');
    expect(p.request.method).toBe('HEAD');
    expect(p.request.body).toBeUndefined();
    expect(p.warnings.join('\n')).toMatch(/-I with a body/);
  });

  it('warns about -X GET with a body', () => {
    const p = args('-X', 'GET', 'https://x.test/', '-d', 'q=1');
    expect(p.request.body).toBe('q=1');
    expect(p.warnings.join('\n')).toMatch(/-X GET with a body/);
  });
});

describe('-H / --header', () => {
  it('keeps order, case, duplicates, and the value byte for byte (trailing spaces and tabs)', () => {
    const p = args(
      'https://x.test/',
      '-H',
      'X-A: 1',
      '--header',
      'x-a: 2  ',
      '-H',
      'Authorization: Bearer abc\t',
    );
    expect(withOrigins(p)).toEqual([
      ['X-A', '1', 'header'],
      ['x-a', '2  ', 'header'],
      ['Authorization', 'Bearer abc\t', 'header'],
    ]);
  });

  it('drops the white space after the colon (it is not part of the value)', () => {
    expect(headersOf(args('https://x.test/', '-H', 'X-A:   v'))).toEqual([['X-A', 'v']]);
    expect(headersOf(args('https://x.test/', '-H', 'X-A:v'))).toEqual([['X-A', 'v']]);
  });

  it('"Name;" sends the header with an empty value', () => {
    expect(headersOf(args('https://x.test/', '-H', 'X-Empty;'))).toEqual([['X-Empty', '']]);
  });

  it('"Name:" sends nothing and removes the header curl would add for a flag', () => {
    const p = args('https://x.test/', '-A', 'agent/1', '-H', 'User-Agent:', '-d', 'a', '-H', 'Content-Type:');
    expect(headersOf(p)).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/-A is not sent/);
  });

  it('"Name:" does not remove a header given with -H before it (curl sends both lists as they are)', () => {
    expect(headersOf(args('https://x.test/', '-H', 'X-A: 1', '-H', 'X-A:'))).toEqual([['X-A', '1']]);
  });

  it('warns about a header curl would not send, and refuses a name that is not a token', () => {
    const p = args('https://x.test/', '-H', 'NoColonHere');
    expect(p.warnings).toContain("-H 'NoColonHere' has no colon, so curl does not send it");
    expect(() => args('https://x.test/', '-H', 'Bad Name: x')).toThrow(
      /the header name "Bad Name" is not a valid HTTP field name/,
    );
  });

  it('-H @FILE is listed for the caller, and read in place when readFile is given', () => {
    const listed = args('https://x.test/', '-H', '@headers.txt');
    expect(listed.request.files?.headerFiles).toEqual(['headers.txt']);
    expect(headersOf(listed)).toEqual([]);
    const read = parseCurlArgs(['https://x.test/', '-H', 'A: 1', '-H', '@h.txt', '-H', 'C: 3'], {
      readFile: (path) => (path === 'h.txt' ? 'B: 2\r\n\r\nAuthorization: Bearer t\n' : ''),
    });
    expect(headersOf(read)).toEqual([
      ['A', '1'],
      ['B', '2'],
      ['Authorization', 'Bearer t'],
      ['C', '3'],
    ]);
  });

  it('turns an unreadable file into a warning', () => {
    const p = parseCurlArgs(['https://x.test/', '-H', '@nope'], {
      readFile: () => {
        throw new Error('ENOENT: no such file');
      },
    });
    expect(p.warnings).toEqual(['cannot read -H file nope: ENOENT: no such file']);
  });
});

describe('body flags', () => {
  it('-d adds the form Content-Type (as curl) and several -d join with &', () => {
    const p = args('https://x.test/', '-d', 'a=1', '--data', 'b=2', '--data-ascii', 'c=3');
    expect(p.request.body).toBe('a=1&b=2&c=3');
    expect(withOrigins(p)).toEqual([['Content-Type', 'application/x-www-form-urlencoded', 'header']]);
  });

  it('a Content-Type given with -H replaces the default', () => {
    const p = args('https://x.test/', '-H', 'content-type: application/json', '-d', '{"a":1}');
    expect(headersOf(p)).toEqual([['content-type', 'application/json']]);
  });

  it('--data-raw takes @ literally; -d/--data-binary @FILE are files', () => {
    expect(args('https://x.test/', '--data-raw', '@not-a-file').request.body).toBe('@not-a-file');
    const p = args('https://x.test/', '-d', '@body.txt', '--data-binary', '@bin.dat', '-d', 'x=1');
    expect(p.request.files?.dataFiles).toEqual(['body.txt', 'bin.dat']);
    expect(p.request.body).toBe('x=1');
  });

  it('reads data files like curl: -d strips CR and LF, --data-binary keeps them', () => {
    const files: Record<string, string> = { 'a.txt': 'a=1\r\nb=2\n', 'b.bin': 'line1\nline2\n' };
    const readFile = (path: string) => files[path] ?? '';
    expect(parseCurlArgs(['https://x.test/', '-d', '@a.txt'], { readFile }).request.body).toBe('a=1b=2');
    expect(parseCurlArgs(['https://x.test/', '--data-binary', '@b.bin'], { readFile }).request.body).toBe(
      'line1\nline2\n',
    );
  });

  it("--data-urlencode: curl's five forms (space as +, upper-case escapes, the name raw)", () => {
    const readFile = (path: string) => (path === 'f.txt' ? 'x y&z' : '');
    const body = (v: string) =>
      parseCurlArgs(['https://x.test/', '--data-urlencode', v], { readFile }).request.body;
    expect(body('hello world!')).toBe('hello+world%21');
    expect(body('=a=b c')).toBe('a%3Db+c');
    expect(body('name=Zoë & co')).toBe('name=Zo%C3%AB+%26+co');
    expect(body('@f.txt')).toBe('x+y%26z');
    expect(body('msg@f.txt')).toBe('msg=x+y%26z');
    // The first = decides, even after an @; the name is copied as written, spaces and all.
    expect(body('a@b=c d')).toBe('a@b=c+d');
    expect(body('y e s=1 2')).toBe('y e s=1+2');
    expect(args('https://x.test/', '--data-urlencode', 'msg@f.txt').request.files?.dataFiles).toEqual([
      'f.txt',
    ]);
  });

  it('--json sets the body, Content-Type and Accept: application/json, and POST', () => {
    const p = args('https://x.test/', '--json', '{"a":1}');
    expect(p.request.method).toBe('POST');
    expect(p.request.body).toBe('{"a":1}');
    expect(headersOf(p)).toEqual([
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json'],
    ]);
  });

  it('--json pieces are concatenated without &, and -H Accept replaces the default one', () => {
    const p = args('https://x.test/', '--json', '{"a":', '--json', '1}', '-H', 'Accept: */*');
    expect(p.request.body).toBe('{"a":1}');
    expect(headersOf(p)).toEqual([
      ['Accept', '*/*'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('-F without a way to read files: the file part is left out, the file listed', () => {
    const p = args('https://x.test/upload', '-F', 'file=@a.png', '-F', 'x=1');
    expect(p.request.method).toBe('POST');
    expect(p.request.files?.dataFiles).toEqual(['a.png']);
    expect(p.request.body).toMatch(/name="x"\r\n\r\n1\r\n/);
    expect(p.request.body).not.toMatch(/a\.png/);
  });
});

describe('-G / --get', () => {
  it('moves the data to the query string and sends GET', () => {
    const p = args('-G', 'https://x.test/search', '-d', 'q=a b', '--data-urlencode', 'tag=c&d');
    expect(p.request.method).toBe('GET');
    expect(p.request.url).toBe('https://x.test/search?q=a b&tag=c%26d');
    expect(p.request.body).toBeUndefined();
    expect(headersOf(p)).toEqual([]);
  });

  it('appends to an existing query, before a fragment', () => {
    expect(args('--get', 'https://x.test/s?x=1#top', '-d', 'y=2').request.url).toBe(
      'https://x.test/s?x=1&y=2#top',
    );
  });

  it('-G with -I is HEAD', () => {
    expect(args('-G', '-I', 'https://x.test/', '-d', 'a=1').request.method).toBe('HEAD');
  });

  it('--url-query appends URL-encoded parts (+ for as-is), lower-cased as curl_url_set does', () => {
    expect(args('https://x.test/?a=1', '--url-query', 'b=c d', '--url-query', '+e=%2F').request.url).toBe(
      'https://x.test/?a=1&b=c+d&e=%2f',
    );
  });
});

describe('credentials', () => {
  it('-u user:pass is Basic, origin user; the password may hold colons and non-ASCII', () => {
    expect(withOrigins(args('-u', 'alice:s3cr:et', 'https://x.test/'))).toEqual([
      ['Authorization', `Basic ${b64('alice:s3cr:et')}`, 'user'],
    ]);
    expect(headersOf(args('--user', 'zoë:pässword', 'https://x.test/'))).toEqual([
      ['Authorization', `Basic ${b64('zoë:pässword')}`],
    ]);
  });

  it('-u user without a password: curl would prompt; nothing is sent and a warning says so', () => {
    const p = args('-u', 'alice', 'https://x.test/');
    expect(headersOf(p)).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/prompt/);
  });

  it('an Authorization given with -H takes the place of -u, as in curl', () => {
    const p = args('-u', 'a:b', '-H', 'Authorization: Bearer t', 'https://x.test/');
    expect(headersOf(p)).toEqual([['Authorization', 'Bearer t']]);
    expect(p.warnings).toContain(
      '-u is not sent: a Authorization header given with -H takes its place, as in curl',
    );
  });

  it('user:password in the URL becomes Basic credentials and leaves the URL', () => {
    const p = args('https://bob:p%40ss@x.test/a');
    expect(p.request.url).toBe('https://x.test/a');
    expect(withOrigins(p)).toEqual([['Authorization', `Basic ${b64('bob:p@ss')}`, 'user']]);
    expect(p.warnings.join('\n')).toMatch(/in the URL is sent as Basic/);
  });

  it('--oauth2-bearer is a Bearer Authorization with its own origin, and wins over -u', () => {
    expect(withOrigins(args('--oauth2-bearer', 'tok.en', 'https://x.test/'))).toEqual([
      ['Authorization', 'Bearer tok.en', 'oauth2-bearer'],
    ]);
    const p = args('--oauth2-bearer', 't', '-u', 'a:b', 'https://x.test/');
    expect(headersOf(p)).toEqual([['Authorization', 'Bearer t']]);
    expect(p.warnings.join('\n')).toMatch(/-u is not sent/);
  });

  it('--digest, --ntlm, --negotiate, --anyauth: noted, and no Basic credentials are sent', () => {
    for (const scheme of ['--digest', '--ntlm', '--negotiate', '--anyauth']) {
      const p = args(scheme, '-u', 'a:b', 'https://x.test/');
      expect(headersOf(p)).toEqual([]);
      expect(p.warnings[0]).toMatch(new RegExp(`^${scheme}: `));
    }
  });

  it('the credentials held back are recorded, so no check says none were given', () => {
    expect(args('--digest', '-u', 'a:b', 'https://x.test/').request.credentialsHeldFor).toEqual(['digest']);
    expect(args('--anyauth', '-u', 'a:b', 'https://x.test/').request.credentialsHeldFor).toEqual(
      expect.arrayContaining(['digest', 'ntlm', 'negotiate']),
    );
    expect(args('--digest', '--basic', '-u', 'a:b', 'https://x.test/').request.credentialsHeldFor).toEqual([
      'digest',
    ]);
    // Sent (Basic), or nothing given: nothing held.
    expect(args('-u', 'a:b', 'https://x.test/').request.credentialsHeldFor).toBeUndefined();
    expect(args('--digest', 'https://x.test/').request.credentialsHeldFor).toBeUndefined();
  });

  it('--basic is the default: Basic is sent, nothing to note', () => {
    const p = args('--basic', '-u', 'a:b', 'https://x.test/');
    expect(headersOf(p)).toEqual([['Authorization', `Basic ${b64('a:b')}`]]);
    expect(p.warnings).toEqual([]);
    expect(headersOf(args('--digest', '--no-digest', '-u', 'a:b', 'https://x.test/'))).toEqual([
      ['Authorization', `Basic ${b64('a:b')}`],
    ]);
  });

  it('several schemes allowed: curl sends nothing on the first request (one bit only is used at once)', () => {
    for (const a of [
      ['--digest', '--basic', '-u', 'a:b'],
      ['--oauth2-bearer', 'tok', '--digest', '-u', 'a:b'],
      ['--oauth2-bearer', 'tok', '--basic'],
    ]) {
      const p = args(...a, 'https://x.test/');
      expect(headersOf(p)).toEqual([]);
      expect(p.warnings.join('\n')).toMatch(/several schemes are allowed/);
    }
  });
});

describe('-b / --cookie', () => {
  it('a name=value string is a Cookie header (origin cookie); several -b join with "; "', () => {
    const p = args('https://x.test/', '-b', 'a=1; b=2', '--cookie', 'c=3');
    expect(withOrigins(p)).toEqual([['Cookie', 'a=1; b=2; c=3', 'cookie']]);
  });

  it('anything without = is a file; @file too', () => {
    const p = args('https://x.test/', '-b', 'cookies.txt', '-b', '@jar2.txt');
    expect(p.request.files?.cookieFiles).toEqual(['cookies.txt', 'jar2.txt']);
    expect(headersOf(p)).toEqual([]);
  });

  it('a Cookie header given with -H takes the place of -b strings', () => {
    const p = args('https://x.test/', '-b', 'a=1', '-H', 'Cookie: z=9');
    expect(headersOf(p)).toEqual([['Cookie', 'z=9']]);
    expect(p.warnings.join('\n')).toMatch(/-b is not sent/);
  });

  it('reads a cookie jar with readFile: all cookies kept, the matching ones sent, jar first', () => {
    const jar = [
      '# Netscape HTTP Cookie File',
      '.x.test\tTRUE\t/\tTRUE\t0\tsid\tabc',
      '#HttpOnly_api.x.test\tFALSE\t/v1\tFALSE\t0\tdeep\t1',
      'other.test\tFALSE\t/\tFALSE\t0\tnope\t1',
      'api.x.test\tFALSE\t/\tFALSE\t1000\told\t1',
    ].join('\n');
    const p = parseCurlArgs(['https://api.x.test/v1/me', '-b', 'jar.txt', '-b', 'extra=1'], {
      readFile: () => jar,
      now: Date.parse('2026-01-01T00:00:00Z'),
    });
    expect(p.request.cookieJar).toHaveLength(4);
    expect(withOrigins(p)).toEqual([['Cookie', 'deep=1; sid=abc; extra=1', 'cookie']]);
    expect(p.warnings).toEqual([]);
  });

  it('warns when the -b file is not a cookie jar', () => {
    const p = parseCurlArgs(['https://x.test/', '-b', 'c.txt'], { readFile: () => 'just some text' });
    expect(p.warnings).toEqual(['-b c.txt is not a Netscape cookie-jar file: no cookies taken from it']);
  });
});

describe('other request flags', () => {
  it('-A and -e give User-Agent and Referer with their origins; -e ;auto is dropped; -A "" sends none', () => {
    expect(withOrigins(args('-A', 'bot/1', '--referer', 'https://r.test/;auto', 'https://x.test/'))).toEqual([
      ['User-Agent', 'bot/1', 'user-agent'],
      ['Referer', 'https://r.test/', 'referer'],
    ]);
    expect(headersOf(args('--user-agent', '', 'https://x.test/'))).toEqual([]);
  });

  it('-k, -L, --compressed, -x, --noproxy, -m', () => {
    const r = args(
      '-k',
      '-L',
      '--compressed',
      '-x',
      'http://proxy:3128',
      '--noproxy',
      'localhost,.internal',
      '-m',
      '2.5',
      'https://x.test/',
    ).request;
    expect(r).toMatchObject({
      insecure: true,
      followRedirects: true,
      compressed: true,
      proxy: 'http://proxy:3128',
      noproxy: 'localhost,.internal',
      maxTimeMs: 2500,
    });
    const d = args('https://x.test/').request;
    expect(d).toMatchObject({ insecure: false, followRedirects: false, compressed: false });
    expect(d.proxy).toBeUndefined();
    expect(d.maxTimeMs).toBeUndefined();
  });

  it('--long forms, --flag=value and --no-flag', () => {
    const r = args(
      '--insecure',
      '--location',
      '--proxy=http://p:1080',
      '--max-time=0.25',
      '--url=https://x.test/',
    ).request;
    expect(r).toMatchObject({
      insecure: true,
      followRedirects: true,
      proxy: 'http://p:1080',
      maxTimeMs: 250,
      url: 'https://x.test/',
    });
    expect(args('-k', '--no-insecure', 'https://x.test/').request.insecure).toBe(false);
  });

  it('-m 0 is no limit; a bad -m is a warning', () => {
    expect(args('-m', '0', 'https://x.test/').request.maxTimeMs).toBeUndefined();
    expect(args('-m', 'soon', 'https://x.test/').warnings).toEqual([
      '-m soon: not a number of seconds, ignored',
    ]);
  });

  it('--location-trusted follows redirects and warns', () => {
    const p = args('--location-trusted', 'https://x.test/');
    expect(p.request.followRedirects).toBe(true);
    expect(p.warnings.join('\n')).toMatch(/--location-trusted/);
  });

  it('-E and --cacert are noted', () => {
    expect(args('-E', 'me.pem', 'https://x.test/').warnings.join('\n')).toMatch(/client certificate/);
    expect(args('--cacert', 'ca.pem', 'https://x.test/').warnings.join('\n')).toMatch(/--cacert is not used/);
  });

  it('output and protocol flags are accepted silently, and their values are not URLs', () => {
    const p = args(
      '-s',
      '-S',
      '-v',
      '-i',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--http1.1',
      '--connect-timeout',
      '5',
      '--retry',
      '3',
      '-c',
      'jar.txt',
      '--max-redirs',
      '2',
      'https://x.test/',
    );
    expect(p.warnings).toEqual([]);
    expect(p.request.url).toBe('https://x.test/');
  });

  it('combined short flags: -sSL, -kv, -sXPOST, -sH value, -Hvalue', () => {
    const r1 = args('-sSL', '-kv', 'https://x.test/').request;
    expect(r1).toMatchObject({ followRedirects: true, insecure: true });
    const p = args('-sXPOST', 'https://x.test/', '-sH', 'A: 1', '-HB: 2', '-kd', 'z=1');
    expect(p.request.method).toBe('POST');
    expect(p.request.body).toBe('z=1');
    expect(headersOf(p).slice(0, 2)).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('unknown flags are one-line warnings, never errors', () => {
    const p = args('--frobnicate', '-W', 'https://x.test/');
    expect(p.warnings).toEqual(['unknown curl flag --frobnicate ignored', 'unknown curl flag -W ignored']);
    expect(p.request.url).toBe('https://x.test/');
  });

  it('a flag without its value at the end is a warning', () => {
    expect(args('https://x.test/', '-H').warnings).toEqual(['-H needs a value: ignored']);
  });

  it('-- ends the flags: what follows is a URL even with a leading -', () => {
    const p = args('-k', '--', '-weird.test/');
    expect(p.request.url).toBe('http://-weird.test/');
  });

  it('--next stops at the first request', () => {
    const p = args('https://a.test/', '-H', 'A: 1', '--next', 'https://b.test/', '-H', 'B: 2');
    expect(p.request.url).toBe('https://a.test/');
    expect(headersOf(p)).toEqual([['A', '1']]);
    expect(p.warnings.join('\n')).toMatch(/--next/);
  });

  it('notes flags that change what curl would get: --netrc, -K, --resolve, --http2, --http1.0', () => {
    for (const a of [
      ['-n'],
      ['-K', 'cfg'],
      ['--resolve', 'x.test:443:1.2.3.4'],
      ['--http2'],
      ['--http1.0'],
    ]) {
      expect(args(...a, 'https://x.test/').warnings).toHaveLength(1);
    }
    expect(args('--http2', 'http://x.test/').warnings[0]).toMatch(/HTTP\/1\.1 only.*h2c/);
  });
});

describe('--aws-sigv4 and -U (issue 13)', () => {
  const KEY = 'AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

  it('--aws-sigv4 with -u: no Basic Authorization, the key kept for signing, no "unsigned" note', () => {
    const p = args('https://x.test/', '--aws-sigv4', 'aws:amz:us-east-1:s3', '-u', `${KEY}:session-tok`);
    expect(headersOf(p)).toEqual([]);
    expect(p.request.awsSigv4).toEqual({
      provider0: 'aws',
      provider1: 'amz',
      region: 'us-east-1',
      service: 's3',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      sessionToken: 'session-tok',
    });
    expect(p.warnings).toEqual([]);
  });

  it('--aws-sigv4 that cannot sign is a CurlParseError naming the flag', () => {
    expect(() => args('https://x.test/', '--aws-sigv4', 'aws:amz:us-east-1:s3')).toThrow(/needs -u/);
    expect(() => args('https://localhost/', '--aws-sigv4', 'aws:amz', '-u', KEY)).toThrow(/--aws-sigv4/);
    expect(() =>
      args('https://x.test/', '--aws-sigv4', 'aws:amz:r:s', '-u', KEY, '--oauth2-bearer', 't'),
    ).toThrow(CurlParseError);
  });

  it('-H Authorization takes the place of --aws-sigv4, as in curl', () => {
    const p = args(
      'https://x.test/',
      '--aws-sigv4',
      'aws:amz:r:s',
      '-u',
      KEY,
      '-H',
      'Authorization: Bearer t',
    );
    expect(p.request.awsSigv4).toBeUndefined();
    expect(headersOf(p)).toEqual([['Authorization', 'Bearer t']]);
    expect(p.warnings.join('\n')).toMatch(/--aws-sigv4 is not applied/);
  });

  it('-U USER:PASSWORD is kept for the proxy; without a password it is said, never echoed', () => {
    expect(args('https://x.test/', '-U', 'proxy:pw').request.proxyUser).toBe('proxy:pw');
    expect(args('https://x.test/', '--proxy-user', 'proxy:pw').request.proxyUser).toBe('proxy:pw');
    const noPw = args('https://x.test/', '-U', 'proxy-only-name');
    expect(noPw.request.proxyUser).toBeUndefined();
    expect(noPw.warnings.join('\n')).toMatch(/-U gives no password/);
    expect(noPw.warnings.join('\n')).not.toContain('proxy-only-name');
    expect(headersOf(args('https://x.test/', '-U', 'proxy:pw'))).toEqual([]);
  });
});

describe('URLs', () => {
  it('no URL is a CurlParseError', () => {
    expect(() => args('-H', 'A: 1')).toThrow(CurlParseError);
    expect(() => args('-H', 'A: 1')).toThrow('no URL found in the curl command');
  });

  it('more than one URL: the first is used, with a warning', () => {
    const p = args('https://a.test/', '--url', 'https://b.test/');
    expect(p.request.url).toBe('https://a.test/');
    expect(p.warnings).toEqual([
      'more than one URL: using the first (https://a.test/), ignoring https://b.test/',
    ]);
  });

  it('a URL without a scheme gets http://, as in curl, with a warning', () => {
    const p = args('example.com:8080/api');
    expect(p.request.url).toBe('http://example.com:8080/api');
    expect(p.warnings).toEqual(['the URL "example.com:8080/api" has no scheme: curl uses http://']);
  });

  it('a placeholder URL is left alone and flagged', () => {
    const p = args('$API_URL/users');
    expect(p.request.url).toBe('$API_URL/users');
    expect(p.warnings.join('\n')).toMatch(/placeholder/);
  });
});

// ---------------------------------------------------------------------------------------------
// Shell reading
// ---------------------------------------------------------------------------------------------

describe('parseCurlCommand: shell reading', () => {
  it('must start with curl (curl.exe and /path/to/curl too), after blanks and a "$ " prompt', () => {
    expect(parseCurlCommand('  \n $ curl https://x.test/').request.url).toBe('https://x.test/');
    expect(parseCurlCommand('curl.exe https://x.test/').request.url).toBe('https://x.test/');
    expect(parseCurlCommand('/usr/bin/curl https://x.test/').request.url).toBe('https://x.test/');
    expect(() => parseCurlCommand('wget https://x.test/')).toThrow('the command does not start with curl');
    expect(() => parseCurlCommand('curly https://x.test/')).toThrow(CurlParseError);
    expect(() => parseCurlCommand('Invoke-WebRequest -Uri "https://x.test/"')).toThrow(/PowerShell/);
    expect(() => parseCurlCommand('fetch("https://x.test/", {})')).toThrow(/fetch\(\)/);
  });

  it('a bare curl has no URL', () => {
    expect(() => parseCurlCommand('curl -s')).toThrow('no URL found in the curl command');
  });

  it('keeps unset $VAR and ${VAR} literal, unquoted and inside double quotes (${VAR:-default} gives the default, as bash)', () => {
    const p = parseCurlCommand(
      'curl "https://$HOST/v1" -H "Authorization: Bearer ${TOKEN}" -H "X-Key: $API_KEY" -H X-B:${B:-dflt}',
    );
    expect(p.request.url).toBe('https://$HOST/v1');
    expect(headersOf(p)).toEqual([
      ['Authorization', 'Bearer ${TOKEN}'],
      ['X-Key', '$API_KEY'],
      ['X-B', 'dflt'],
    ]);
    expect(headersOf(parseCurlCommand('curl -u $USER:"${PASS}" https://x.test/'))).toEqual([
      ['Authorization', `Basic ${b64('$USER:${PASS}')}`],
    ]);
  });

  it("reads $'…' escapes: \\' \\n \\t \\x41 \\u00e9 \\101", () => {
    const p = parseCurlCommand(String.raw`curl https://x.test/ --data-raw $'it\'s\n\t\x41\u00e9\101'`);
    expect(p.request.body).toBe("it's\n\tAéA");
  });

  it('reads double-quote escapes: \\" \\\\ \\$ and keeps other backslashes', () => {
    const p = parseCurlCommand(String.raw`curl https://x.test/ -d "a\"b\\c\$d\e"`);
    expect(p.request.body).toBe('a"b\\c$d\\e');
  });

  it('keeps # inside a word (URL fragments) and reads # at the start of a word as a comment', () => {
    const p = parseCurlCommand('curl https://x.test/page#frag?x=1 -H X-A:b#c # a comment -H "X-No: 1"');
    expect(p.request.url).toBe('https://x.test/page#frag?x=1');
    expect(headersOf(p)).toEqual([['X-A', 'b#c']]);
  });

  it('a comment line between continued lines is skipped', () => {
    const p = parseCurlCommand('curl https://x.test/ \\\n  -H "A: 1" \\\n# -H "B: 2"\n  -H "C: 3"');
    expect(headersOf(p)).toEqual([
      ['A', '1'],
      ['C', '3'],
    ]);
  });

  it('unquoted ? and * (shell-quote glob objects) stay literal', () => {
    const p = parseCurlCommand('curl https://x.test/search?q=a* -H Accept:*/*');
    expect(p.request.url).toBe('https://x.test/search?q=a*');
    expect(headersOf(p)).toEqual([['Accept', '*/*']]);
  });

  it('stops at the first control operator, with a one-line note', () => {
    for (const [cmd, op] of [
      ['curl https://x.test/ -s | jq .', /\|/],
      ['curl https://x.test/ && echo done', /&&/],
      ['curl https://x.test/; echo', /;/],
    ] as const) {
      const p = parseCurlCommand(cmd);
      expect(p.request.url).toBe('https://x.test/');
      expect(p.warnings).toHaveLength(1);
      expect(p.warnings[0]).toMatch(op);
    }
  });

  it('an unquoted & cuts the URL, as the shell does, and says so', () => {
    const p = parseCurlCommand("curl https://x.test/?a=1&b=2 -H 'Authorization: Bearer t'");
    expect(p.request.url).toBe('https://x.test/?a=1');
    expect(headersOf(p)).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/unquoted &/);
  });

  it('redirections are dropped and reading goes on (> file, 2>&1, 2>/dev/null)', () => {
    const p = parseCurlCommand("curl https://x.test/ > out.json 2>&1 -H 'A: 1' 2>/dev/null -k");
    expect(p.request.url).toBe('https://x.test/');
    expect(headersOf(p)).toEqual([['A', '1']]);
    expect(p.request.insecure).toBe(true);
    expect(p.warnings).toEqual([]);
  });

  it('line continuations with LF and CRLF; a backslash inside a word joins the lines', () => {
    const p = parseCurlCommand('curl https://x.test/\\\r\n  -H "A: 1" \\\n  -H "B: 2"');
    expect(headersOf(p)).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(parseCurlCommand('curl https://x.test/ab\\\ncd').request.url).toBe('https://x.test/abcd');
  });

  it('a line that lost its backslash: the next flag lines are still read, with a warning', () => {
    const p = parseCurlCommand("curl https://x.test/\n  -H 'A: 1'\n  -k");
    expect(headersOf(p)).toEqual([['A', '1']]);
    expect(p.request.insecure).toBe(true);
    expect(p.warnings).toEqual([
      'line 1 does not end with a backslash: the flag lines after it are read as part of the command',
    ]);
  });

  it('spaces after a trailing backslash are forgiven, with a warning', () => {
    const p = parseCurlCommand("curl https://x.test/ \\  \n  -H 'A: 1'");
    expect(headersOf(p)).toEqual([['A', '1']]);
    expect(p.warnings).toEqual(['line 1: spaces after the trailing backslash (read as a line continuation)']);
  });

  it('a second command on the next line is ignored, with a warning', () => {
    const p = parseCurlCommand('curl https://a.test/\ncurl https://b.test/\n');
    expect(p.request.url).toBe('https://a.test/');
    expect(p.warnings).toEqual(['only the first command is read: the text from line 2 on is ignored']);
  });

  it('$(…) and backticks are never run: a request that depends on one is refused, naming it', () => {
    expect(() =>
      parseCurlCommand('curl https://x.test/ -H "Authorization: Bearer $(cat "tok file")" -H X-T:`date`'),
    ).toThrow('the Authorization header is made by $(cat "tok file"), which why401 does not run');
    expect(() => parseCurlCommand('curl https://x.test/ -H X-T:`date`')).toThrow(
      'the X-T header is made by `date`, which why401 does not run',
    );
  });

  it('unterminated quotes are a one-line CurlParseError with the position', () => {
    expect(() => parseCurlCommand("curl https://x.test/ -H 'A: 1")).toThrow(
      "unterminated ' quote (opened at line 1, column 25)",
    );
    expect(() => parseCurlCommand('curl https://x.test/ \\\n -d "abc')).toThrow(
      'unterminated " quote (opened at line 2, column 5)',
    );
    expect(() => parseCurlCommand("curl https://x.test/ --data-raw $'it\\'s")).toThrow(
      /unterminated \$'…' quote/,
    );
    expect(() => parseCurlCommand('curl https://x.test/ -H "A: $(cat x"')).toThrow(CurlParseError);
    expect(() => parseCurlCommand('curl https://x.test/ -H A:${X')).toThrow(CurlParseError);
  });

  it('parseCurlCommand passes readFile on', () => {
    const p = parseCurlCommand("curl https://x.test/ -d @body.json -H 'Content-Type: application/json'", {
      readFile: () => '{"a":1}\n',
    });
    expect(p.request.body).toBe('{"a":1}');
    expect(p.request.files).toEqual({ headerFiles: [], cookieFiles: [], dataFiles: ['body.json'] });
  });
});

// ---------------------------------------------------------------------------------------------
// The flag table and the argv splitter
// ---------------------------------------------------------------------------------------------

describe('flag table', () => {
  it('has no duplicate long or short names', () => {
    const all = [...CURL_FLAGS, ...CURL_OTHER_FLAGS];
    const longs = all.map((f) => f.long);
    const shorts = all.flatMap((f) => (f.short === undefined ? [] : [f.short]));
    expect(new Set(longs).size).toBe(longs.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const f of CURL_FLAGS) expect(f.help).not.toBe('');
  });

  it('lookupCurlFlag finds flags by -s, --long and bare names', () => {
    expect(lookupCurlFlag('-H')?.long).toBe('header');
    expect(lookupCurlFlag('--data-urlencode')?.takesValue).toBe(true);
    expect(lookupCurlFlag('k')?.long).toBe('insecure');
    expect(lookupCurlFlag('--nope')).toBeUndefined();
  });
});

describe('splitWhy401Args', () => {
  const own = [
    { name: 'json', takesValue: false },
    { name: '--expect-audience', takesValue: true },
    { name: 'offline', takesValue: false },
  ];

  it("sends why401's flags (and their values) to own, the rest to curl", () => {
    expect(
      splitWhy401Args(
        ['--json', 'https://x.test/', '-H', 'A: 1', '--expect-audience', 'api', '-k', '--offline'],
        own,
      ),
    ).toEqual({
      own: ['--json', '--expect-audience', 'api', '--offline'],
      curl: ['https://x.test/', '-H', 'A: 1', '-k'],
    });
  });

  it('--name=value is one token', () => {
    expect(splitWhy401Args(['--expect-audience=api', 'https://x.test/'], own)).toEqual({
      own: ['--expect-audience=api'],
      curl: ['https://x.test/'],
    });
  });

  it("never inspects the value of a curl flag: -H --json stays curl's", () => {
    expect(
      splitWhy401Args(['https://x.test/', '-H', '--json', '--data', '--offline', '-sH', '--json'], own),
    ).toEqual({
      own: [],
      curl: ['https://x.test/', '-H', '--json', '--data', '--offline', '-sH', '--json'],
    });
  });

  it("an attached value does not take the next token; curl's --json is curl's only after --", () => {
    expect(splitWhy401Args(['-XPOST', '--json', '-HA:1', '--offline'], own)).toEqual({
      own: ['--json', '--offline'],
      curl: ['-XPOST', '-HA:1'],
    });
    expect(splitWhy401Args(['--offline', '--', 'https://x.test/', '--json', '{}'], own)).toEqual({
      own: ['--offline'],
      curl: ['https://x.test/', '--json', '{}'],
    });
  });

  it('unknown tokens go to curl', () => {
    expect(splitWhy401Args(['--frob', 'x', '-Q'], own)).toEqual({ own: [], curl: ['--frob', 'x', '-Q'] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Issue 14: the flags that shape a body or a header, byte for byte as curl 7.88.1 sends them
// (each expectation is curl's own test vector or what /usr/bin/curl 7.88.1 sent to a recorder;
// test/e2e/curl-differential.test.ts sends the corpus through both).
// ---------------------------------------------------------------------------------------------

/** parseCurlArgs with files (text or bytes) and their times, as the CLI reads them. */
function withFiles(
  a: string[],
  files: Record<string, string | Uint8Array>,
  stats: Record<string, { mtimeMs: number; size: number }> = {},
): CurlParse {
  const bytes = (path: string): Uint8Array => {
    const f = files[path];
    if (f === undefined) throw new Error(`ENOENT: ${path}`);
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  };
  return parseCurlArgs(a, {
    readFile: (path) => new TextDecoder().decode(bytes(path)),
    readFileBytes: bytes,
    statFile: (path) => stats[path],
  });
}
/** The body's bytes as a latin1 string, multipart boundaries made "B". */
const wireBody = (p: CurlParse) =>
  (p.request.bodyBase64 !== undefined
    ? Buffer.from(p.request.bodyBase64, 'base64').toString('latin1')
    : Buffer.from(p.request.body ?? '', 'utf8').toString('latin1')
  ).replace(/-{24}[0-9a-f]{16}/g, 'B');

describe('--data-urlencode, --url-query and -G (curl 7.88.1 tests 1015 and 1221)', () => {
  const file = "content to _?!#$'|<>\n";

  it('test1015: the body, space as +, upper-case escapes, the name raw', () => {
    const p = withFiles(
      [
        'http://x.test/1015',
        '--data-urlencode',
        'my name is moo[]',
        '--data-urlencode',
        'y e s=s_i_r',
        '--data-urlencode',
        'v_alue@log/1015.txt',
        '--data-urlencode',
        '@log/1015.txt',
      ],
      { 'log/1015.txt': file },
    );
    expect(p.request.body).toBe(
      'my+name+is+moo%5B%5D&y e s=s_i_r&v_alue=content+to+_%3F%21%23%24%27%7C%3C%3E%0A&content+to+_%3F%21%23%24%27%7C%3C%3E%0A',
    );
  });

  it('test1221: --url-query in lower case, "+" parts lower-cased too, the body apart', () => {
    const p = withFiles(
      [
        'http://x.test/1221',
        '--url-query',
        'my name is moo[]',
        '--url-query',
        'yes=s i r',
        '--url-query',
        'v_alue@log/1221.txt',
        '--url-query',
        '@log/1221.txt',
        '--url-query',
        '+%3d%3d',
        '--data-urlencode',
        'start=once upon the time',
      ],
      { 'log/1221.txt': file },
    );
    expect(p.request.method).toBe('POST');
    expect(p.request.url).toBe(
      'http://x.test/1221?my+name+is+moo%5b%5d&yes=s+i+r&v_alue=content+to+_%3f%21%23%24%27%7c%3c%3e%0a&content+to+_%3f%21%23%24%27%7c%3c%3e%0a&%3d%3d',
    );
    expect(p.request.body).toBe('start=once+upon+the+time');
  });

  it('measured: the URL keeps its own query as written; -G puts the data in lower case', () => {
    expect(
      args('--url-query', 'a=b c/é~*', '--url-query', '+x=%2F%2f', 'http://x.test/p?Pre=%2F%2f').request.url,
    ).toBe('http://x.test/p?Pre=%2F%2f&a=b+c%2f%c3%a9~%2a&x=%2f%2f');
    expect(args('-G', '--data-urlencode', 'a=b c/é', 'http://x.test/g').request.url).toBe(
      'http://x.test/g?a=b+c%2f%c3%a9',
    );
    expect(args('-G', '-d', 'x=%2F%C3', 'http://x.test/g').request.url).toBe('http://x.test/g?x=%2f%c3');
  });

  it('with -G the data wins and --url-query is dropped, as in 7.88.1, with a warning', () => {
    const p = args('-G', '-d', 'q=1', '--url-query', 'u=2', 'http://x.test/g');
    expect(p.request.url).toBe('http://x.test/g?q=1');
    expect(p.warnings.join('\n')).toMatch(/--url-query is not sent/);
    expect(args('--url-query', 'u=2', '-d', 'q=1', 'http://x.test/g').request).toMatchObject({
      method: 'POST',
      url: 'http://x.test/g?u=2',
      body: 'q=1',
    });
  });

  it('adds & only when the query does not end with one; no query gets ?, an empty part nothing', () => {
    expect(args('--url-query', 'a=1', 'http://x.test/q?').request.url).toBe('http://x.test/q?a=1');
    expect(args('--url-query', 'a=1', 'http://x.test/q?t=1&').request.url).toBe('http://x.test/q?t=1&a=1');
    expect(args('--url-query', 'a=1', 'http://x.test?x').request.url).toBe('http://x.test/?x&a=1');
    expect(args('-G', '-d', '', 'http://x.test/e').request.url).toBe('http://x.test/e');
  });

  it('name@FILE that gives nothing (missing or empty) makes the whole part empty, name and all', () => {
    const p = withFiles(['http://x.test/', '--data-urlencode', 'a@empty', '--data-urlencode', 'b@gone'], {
      empty: '',
    });
    expect(p.request.body).toBe('&');
    expect(p.warnings.join('\n')).toMatch(/cannot read --data-urlencode file gone/);
  });

  it('-d @FILE reads lines as curl does: each cut at its first CR and LF (and NUL)', () => {
    const p = withFiles(['http://x.test/', '-d', '@f'], { f: 'a=1\r\nb=2\rlost\nc\u0000gone\n' });
    expect(p.request.body).toBe('a=1b=2c');
    expect(withFiles(['http://x.test/', '--data-binary', '@f'], { f: 'a\r\n' }).request.body).toBe('a\r\n');
  });

  it('a binary --data-binary @FILE is kept byte for byte (bodyBase64)', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0x00, 0x0d, 0x0a]);
    const p = withFiles(['http://x.test/', '--data-binary', '@img'], { img: bytes });
    expect(p.request.body).toBeUndefined();
    expect(p.request.bodyBase64).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('-F / --form and --form-string (multipart, lib/mime.c)', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

  it('builds the body curl 7.88.1 sent: ;type=, ;filename=, <file, a binary file, quotes, escaped names', () => {
    const p = withFiles(
      [
        'http://x.test/mp',
        '-F',
        'name=daniel;type=text/foo',
        '-F',
        'file=@file.txt;filename=nameinpost',
        '-F',
        'story=<file.txt',
        '-F',
        'img=@img.png',
        '-F',
        'q="quoted"',
        '-F',
        'n"a=x',
      ],
      { 'file.txt': 'hello\n', 'img.png': png },
    );
    expect(p.request.method).toBe('POST');
    expect(withOrigins(p)).toEqual([
      ['Content-Type', expect.stringMatching(/^multipart\/form-data; boundary=-{24}[0-9a-f]{16}$/), 'header'],
    ]);
    expect(wireBody(p)).toBe(
      '--B\r\nContent-Disposition: form-data; name="name"\r\nContent-Type: text/foo\r\n\r\ndaniel\r\n' +
        '--B\r\nContent-Disposition: form-data; name="file"; filename="nameinpost"\r\nContent-Type: text/plain\r\n\r\nhello\n\r\n' +
        '--B\r\nContent-Disposition: form-data; name="story"\r\n\r\nhello\n\r\n' +
        `--B\r\nContent-Disposition: form-data; name="img"; filename="img.png"\r\nContent-Type: image/png\r\n\r\n${Buffer.from(png).toString('latin1')}\r\n` +
        '--B\r\nContent-Disposition: form-data; name="q"\r\n\r\nquoted\r\n' +
        '--B\r\nContent-Disposition: form-data; name="n%22a"\r\n\r\nx\r\n' +
        '--B--\r\n',
    );
  });

  it('a -H Content-Type keeps its type, gets the boundary and goes last; non-form parts are attachments', () => {
    const p = args(
      'http://x.test/',
      '-H',
      'Content-Type: multipart/related; boundary=x',
      '-H',
      'X-B: 2',
      '-F',
      'input={};type=application/json',
    );
    expect(headersOf(p)).toEqual([
      ['X-B', '2'],
      ['Content-Type', expect.stringMatching(/^multipart\/related; boundary=x; boundary=-{24}[0-9a-f]{16}$/)],
    ]);
    expect(wireBody(p)).toBe(
      '--B\r\nContent-Disposition: attachment; name="input"\r\nContent-Type: application/json\r\n\r\n{}\r\n--B--\r\n',
    );
  });

  it('quoted file names keep , and ;; an unknown ;field is skipped; --form-string is literal', () => {
    const p = withFiles(
      ['http://x.test/', '-F', 'file=@"local,file";filename="name;in;post"', '-F', 'plain=x;y'],
      { 'local,file': 'z' },
    );
    expect(wireBody(p)).toBe(
      '--B\r\nContent-Disposition: form-data; name="file"; filename="name;in;post"\r\nContent-Type: application/octet-stream\r\n\r\nz\r\n' +
        '--B\r\nContent-Disposition: form-data; name="plain"\r\n\r\nx\r\n--B--\r\n',
    );
    expect(p.warnings.join('\n')).toMatch(/unknown form field ";y"/);
    expect(wireBody(args('http://x.test/', '--form-string', 'a=@notafile;type=x'))).toMatch(
      /name="a"\r\n\r\n@notafile;type=x\r\n/,
    );
  });

  it('-X PUT keeps the form; -F with -d, -T or -I is refused as curl refuses it', () => {
    expect(args('-X', 'PUT', '-F', 'a=1', 'http://x.test/').request.method).toBe('PUT');
    for (const a of [['-d', 'x'], ['-T', 'f'], ['-I']])
      expect(() => args('-F', 'a=1', ...a, 'http://x.test/')).toThrow(/only select one HTTP request method/);
  });

  it('a file curl cannot open stops the command (curl: exit 26), and so does a bad field', () => {
    expect(() => withFiles(['http://x.test/', '-F', 'f=@missing'], {})).toThrow(
      /cannot read -F file missing.*curl stops here too/,
    );
    expect(() => args('-F', 'novalue', 'http://x.test/')).toThrow(CurlParseError);
    expect(() => args('-F', 'a=1;type=bad', 'http://x.test/')).toThrow(/content-type/);
    expect(() => args('-F', 'a=(', 'http://x.test/')).toThrow(/nested multipart/);
    expect(() => args('-F', 'a=1;encoder=quoted-printable', 'http://x.test/')).toThrow(/not reproduced/);
  });

  it('the page refuses -F files through readFile, as every other file', () => {
    expect(() =>
      parseCurlArgs(['http://x.test/', '-F', 'f=@secret.txt'], {
        readFile: () => {
          throw new CurlParseError('no local files here');
        },
      }),
    ).toThrow('no local files here');
  });
});

describe('-T / --upload-file', () => {
  it('PUTs the file; a URL without a file name gets its name, escaped in lower case', () => {
    const p = withFiles(['-T', 'dir/my file é.txt', 'http://x.test/up/'], { 'dir/my file é.txt': 'z' });
    expect(p.request).toMatchObject({
      method: 'PUT',
      url: 'http://x.test/up/my%20file%20%c3%a9.txt',
      body: 'z',
    });
    expect(withFiles(['-T', 'f.txt', 'http://x.test'], { 'f.txt': '' }).request.url).toBe(
      'http://x.test/f.txt',
    );
    expect(withFiles(['-T', 'f.txt', 'http://x.test?x=1'], { 'f.txt': '' }).request.url).toBe(
      'http://x.test/f.txt?x=1',
    );
    expect(withFiles(['-T', 'f.txt', 'http://x.test/up/name'], { 'f.txt': '' }).request.url).toBe(
      'http://x.test/up/name',
    );
    expect(headersOf(withFiles(['-T', 'f.txt', 'http://x.test/'], { 'f.txt': 'a' }))).toEqual([]);
  });

  it('-T - reads standard input and sends it chunked; the URL keeps its name', () => {
    const p = withFiles(['-T', '-', 'http://x.test/up/'], { '-': 'from stdin\n' });
    expect(p.request).toMatchObject({ url: 'http://x.test/up/', body: 'from stdin\n', bodyChunked: true });
  });

  it('a binary file goes byte for byte; a missing one stops, as curl; a {a,b} pattern is refused', () => {
    const bytes = new Uint8Array([0, 0xff, 0x0d, 0x0a]);
    expect(withFiles(['-T', 'b.bin', 'http://x.test/'], { 'b.bin': bytes }).request.bodyBase64).toBe(
      Buffer.from(bytes).toString('base64'),
    );
    expect(() => withFiles(['-T', 'gone', 'http://x.test/'], {})).toThrow(/cannot read -T file gone/);
    expect(() => args('-T', '{a,b}', 'http://x.test/')).toThrow(/one request each/);
    expect(() => args('-T', 'f', '-d', 'x', 'http://x.test/')).toThrow(/only select one HTTP request method/);
  });
});

describe('-r / --range and -C / --continue-at (lib/http.c Curl_http_range)', () => {
  it('a GET asks Range, right after Authorization, with its own origin', () => {
    expect(withOrigins(args('-u', 'a:b', '-r', '0-99', '-A', 'ua', 'http://x.test/'))).toEqual([
      ['Authorization', `Basic ${b64('a:b')}`, 'user'],
      ['Range', 'bytes=0-99', 'range'],
      ['User-Agent', 'ua', 'user-agent'],
    ]);
    expect(headersOf(args('-r', '-500', 'http://x.test/'))).toEqual([['Range', 'bytes=-500']]);
  });

  it('a range without a dash gets one, as curl appends it, with a warning', () => {
    const p = args('--range', '600', 'http://x.test/');
    expect(headersOf(p)).toEqual([['Range', 'bytes=600-']]);
    expect(p.warnings.join('\n')).toMatch(/appends one \(600-\)/);
  });

  it('an upload says Content-Range with the size; a form gets none; -H Range takes the place', () => {
    expect(headersOf(args('-r', '0-9', '-d', 'x=1', 'http://x.test/'))[0]).toEqual([
      'Content-Range',
      'bytes 0-9/3',
    ]);
    expect(headersOf(withFiles(['-r', '2-5', '-T', 't', 'http://x.test/'], { t: '0123456789' }))).toEqual([
      ['Content-Range', 'bytes 2-5/10'],
    ]);
    expect(headersOf(args('-r', '2-5', '-F', 'a=b', 'http://x.test/')).map(([n]) => n)).toEqual([
      'Content-Type',
    ]);
    expect(headersOf(args('-r', '1-2', '-H', 'Range: bytes=5-', 'http://x.test/'))).toEqual([
      ['Range', 'bytes=5-'],
    ]);
  });

  it('-C OFFSET asks from there (and wins over -r); -C - takes the -o file size, or nothing', () => {
    expect(headersOf(args('-C', '400', 'http://x.test/'))).toEqual([['Range', 'bytes=400-']]);
    expect(headersOf(args('-r', '2-5', '-C', '4', 'http://x.test/'))).toEqual([['Range', 'bytes=4-']]);
    expect(headersOf(args('-C', '-', 'http://x.test/'))).toEqual([]);
    const p = withFiles(
      ['-C', '-', '-o', 'out.bin', 'http://x.test/'],
      {},
      { 'out.bin': { mtimeMs: 0, size: 2 } },
    );
    expect(headersOf(p)).toEqual([['Range', 'bytes=2-']]);
    expect(args('-C', '-', '-o', 'out.bin', 'http://x.test/').warnings.join('\n')).toMatch(
      /cannot be looked at/,
    );
  });

  it('-C with -T sends the rest of the file with Content-Range; -C - sends it all', () => {
    const p = withFiles(['-C', '3', '-T', 'ten', 'http://x.test/c1'], { ten: '0123456789' });
    expect(p.request.body).toBe('3456789');
    expect(headersOf(p)).toEqual([['Content-Range', 'bytes 3-9/10']]);
    expect(headersOf(withFiles(['-C', '-', '-T', 'ten', 'http://x.test/'], { ten: '0123456789' }))).toEqual([
      ['Content-Range', 'bytes 0-9/10'],
    ]);
    expect(() => args('-C', '4', '-d', 'abc', 'http://x.test/')).toThrow(/curl cannot resume a POST/);
  });
});

describe('-z / --time-cond (lib/parsedate.c)', () => {
  const z = (v: string) => headersOf(args('-z', v, 'http://x.test/'));

  it("reads the dates of curl's docs and writes them as IMF-fixdate, after Cookie, before -H", () => {
    expect(z('Wed 01 Sep 2021 12:18:00')).toEqual([['If-Modified-Since', 'Wed, 01 Sep 2021 12:18:00 GMT']]);
    expect(z('-Wed 01 Sep 2021 12:18:00')).toEqual([
      ['If-Unmodified-Since', 'Wed, 01 Sep 2021 12:18:00 GMT'],
    ]);
    expect(z('=Jan 12 2012')).toEqual([['Last-Modified', 'Thu, 12 Jan 2012 00:00:00 GMT']]);
    expect(z('Sun, 06 Nov 1994 08:49:37 GMT')).toEqual([
      ['If-Modified-Since', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ]);
    expect(z('Sunday, 06-Nov-94 08:49:37 GMT')).toEqual([
      ['If-Modified-Since', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ]);
    expect(z('Sun Nov  6 08:49:37 1994')).toEqual([['If-Modified-Since', 'Sun, 06 Nov 1994 08:49:37 GMT']]);
    expect(z('20210901 12:18:00 +0200')).toEqual([['If-Modified-Since', 'Wed, 01 Sep 2021 10:18:00 GMT']]);
    expect(z('1 Jan 2000 00:00 PST')).toEqual([['If-Modified-Since', 'Sat, 01 Jan 2000 08:00:00 GMT']]);
    expect(
      withOrigins(args('-b', 'c=1', '-H', 'X: 1', '-z', 'Jan 12 2012', 'http://x.test/')).map(
        ([n, , o]) => `${n}/${o}`,
      ),
    ).toEqual(['Cookie/cookie', 'If-Modified-Since/time-cond', 'X/header']);
  });

  it('what curl_getdate() refuses is a file name: its time, or no condition at all', () => {
    const stats = { 'local.html': { mtimeMs: Date.UTC(2021, 8, 1, 12, 18, 0, 700), size: 1 } };
    expect(headersOf(withFiles(['-z', 'local.html', 'http://x.test/'], {}, stats))).toEqual([
      ['If-Modified-Since', 'Wed, 01 Sep 2021 12:18:00 GMT'],
    ]);
    expect(headersOf(withFiles(['-z', '-local.html', 'http://x.test/'], {}, stats))).toEqual([
      ['If-Unmodified-Since', 'Wed, 01 Sep 2021 12:18:00 GMT'],
    ]);
    for (const bad of ['bogus date', '2021-09-01 12:18', '1630498680', 'Feb 30 1500']) {
      const p = withFiles(['-z', bad, 'http://x.test/'], {});
      expect(headersOf(p)).toEqual([]);
      expect(p.warnings.join('\n')).toMatch(/neither a date curl reads nor a file/);
    }
    expect(args('-z', 'local.html', 'http://x.test/').warnings.join('\n')).toMatch(
      /cannot be looked at here/,
    );
    expect(headersOf(args('-z', 'Jan 12 2012', '-H', 'If-Modified-Since: x', 'http://x.test/'))).toEqual([
      ['If-Modified-Since', 'x'],
    ]);
  });

  it('two-digit years: 71-99 are 19xx, the rest 20xx (checked against curl 7.88.1)', () => {
    expect(z('01 Jan 70')).toEqual([['If-Modified-Since', 'Wed, 01 Jan 2070 00:00:00 GMT']]);
    expect(z('01 Jan 71')).toEqual([['If-Modified-Since', 'Fri, 01 Jan 1971 00:00:00 GMT']]);
  });
});

describe('--proxy-header, SOCKS, and the headers curl adds by itself', () => {
  it('--proxy-header lines are kept for the proxy only, checked like -H', () => {
    const p = args(
      '--proxy-header',
      'X-First-Name: Joe',
      '--proxy-header',
      'Host:',
      '-x',
      'http://p:3128',
      'https://x.test/',
    );
    expect(p.request.proxyHeaders).toEqual(['X-First-Name: Joe', 'Host:']);
    expect(headersOf(p)).toEqual([]);
    expect(proxyHeaderList(p.request.proxyHeaders!)).toEqual({
      send: [['X-First-Name', 'Joe']],
      remove: ['host'],
    });
    expect(() => args('--proxy-header', 'Bad Name: 1', 'https://x.test/')).toThrow(/--proxy-header/);
  });

  it('a SOCKS proxy is refused by name, not sent direct or reported unreachable', () => {
    for (const a of [
      ['-x', 'socks5://p:1080'],
      ['--proxy', 'socks5h://u:pw@p:1080'],
      ['--socks5', 'p:1080'],
      ['--socks4a', 'p:1080'],
      ['--preproxy', 'socks5://p'],
    ]) {
      expect(() => args(...a, 'https://x.test/')).toThrow(/^SOCKS proxies are not supported/);
    }
    expect(() => args('-x', 'socks5h://u:pw@p:1080', 'https://x.test/')).not.toThrow(/pw/);
  });

  it("-H 'Accept:' and -A '' remove what curl would add; -H 'Host:' is said", () => {
    expect(args('-H', 'Accept:', '-H', 'User-Agent:', 'http://x.test/').request.omitHeaders).toEqual([
      'accept',
      'user-agent',
    ]);
    expect(args('-A', '', 'http://x.test/').request.omitHeaders).toEqual(['user-agent']);
    expect(args('-H', 'Host:', 'http://x.test/').warnings.join('\n')).toMatch(/sends no Host header at all/);
  });

  it('headers the HTTP client cannot send are left out with a warning, never a failed request', () => {
    const p = args('-H', 'Expect: 100-continue', '-H', 'Connection: Upgrade', '-H', 'X: 1', 'http://x.test/');
    expect(headersOf(p)).toEqual([['X', '1']]);
    expect(p.warnings.join('\n')).toMatch(/Expect.*100 Continue/);
    expect(p.warnings.join('\n')).toMatch(/Connection: keep-alive or close/);
  });

  it("curl's order: Authorization, Range, User-Agent, Referer, Cookie, time condition, -H, the body's", () => {
    const p = args(
      '-d',
      'x=1',
      '-H',
      'X-A: 1',
      '-z',
      'Jan 12 2012',
      '-b',
      'c=1',
      '-e',
      'ref',
      '-A',
      'ua',
      '-r',
      '0-9',
      '-u',
      'a:b',
      'http://x.test/',
    );
    expect(withOrigins(p).map(([n, , o]) => `${n}/${o}`)).toEqual([
      'Authorization/user',
      'Content-Range/range',
      'User-Agent/user-agent',
      'Referer/referer',
      'Cookie/cookie',
      'If-Modified-Since/time-cond',
      'X-A/header',
      'Content-Type/header',
    ]);
  });

  it('a URL with bytes outside ASCII goes out as curl writes it: %xx in lower case', () => {
    expect(args('http://x.test/pé?q=ü#frag').request.url).toBe('http://x.test/p%c3%a9?q=%c3%bc#frag');
  });
});

describe('properties', () => {
  const expectOnlyCurlParseError = (text: string) => {
    try {
      const p = parseCurlCommand(text);
      expect(p.request.headerOrigins).toHaveLength(p.request.headers.length);
    } catch (e) {
      if (!(e instanceof CurlParseError)) throw e;
      expect(e.message).not.toContain('\n');
    }
  };

  it('parseCurlCommand throws nothing but CurlParseError on arbitrary text after "curl "', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => expectOnlyCurlParseError(`curl ${s}`)),
      { numRuns: 1000 },
    );
  });

  it('… nor on text made of shell-significant pieces', () => {
    const piece = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r\n',
      '\\',
      '\\\n',
      "'",
      '"',
      "$'",
      '$',
      '${',
      '}',
      '$(',
      ')',
      '(',
      '`',
      '#',
      '|',
      '&',
      ';',
      '<',
      '>',
      '2>&1',
      '^',
      '^"',
      '%',
      '*',
      '?',
      '=',
      '@',
      ':',
      '-H',
      '-d',
      '-b',
      '-u',
      '-X',
      '--json',
      '-G',
      '-sSL',
      '--url',
      '--',
      'https://x.test/',
      'a',
      'b=1',
      'é',
      '\u0000',
      '\u0001',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) =>
        expectOnlyCurlParseError(`curl ${pieces.join('')}`),
      ),
      { numRuns: 1000 },
    );
  });

  const tchar = fc.constantFrom(
    ..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  );
  const headerName = fc.string({ unit: tchar, minLength: 1, maxLength: 20 });
  // Any text but: leading white space (not part of the value, curl skips it) and CR (a pasted
  // CRLF is read as LF). Single quotes are written '\'' as the browsers do.
  const headerValue = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
    .map((v) => v.replace(/\r/g, ''))
    .filter((v) => v !== '' && !/^[ \t\n\v\f]/.test(v));
  const sq = (s: string) => `'${s.split("'").join("'\\''")}'`;

  it('single-quoted header names and values come back byte for byte', () => {
    fc.assert(
      fc.property(headerName, headerValue, (name, value) => {
        const p = parseCurlCommand(`curl https://x.test/ -H ${sq(`${name}: ${value}`)}`);
        expect(p.request.headers).toEqual([[name, value]]);
        expect(p.request.headerOrigins).toEqual(['header']);
      }),
      { numRuns: 500 },
    );
  });

  it('… and so do several headers across continued lines, and the same through parseCurlArgs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 5 }), (pairs) => {
        const lines = pairs.map(([n, v]) => `  -H ${sq(`${n}: ${v}`)}`);
        const p = parseCurlCommand(`curl 'https://x.test/' \\\n${lines.join(' \\\n')}`);
        expect(p.request.headers).toEqual(pairs);
        const q = parseCurlArgs(['https://x.test/', ...pairs.flatMap(([n, v]) => ['-H', `${n}: ${v}`])]);
        expect(q.request.headers).toEqual(pairs);
      }),
      { numRuns: 200 },
    );
  });
});
