import { describe, expect, it } from 'vitest';
import { parseAwsSigv4 } from '../../src/parse/aws-sigv4.js';
import type { AwsSigv4Request } from '../../src/model/evidence.js';
import { sigv4Signer } from '../../src/probe/sigv4.js';
import type { WireRequest } from '../../src/probe/transport.js';

/**
 * AWS's published Signature Version 4 test suite, byte for byte: awslabs/aws-c-auth,
 * tests/aws-signing-test-suite/v4/<case>/header-signed-request.txt (the suite AWS documents at
 * https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html). Every case signs
 * for us-east-1/service at 2015-08-30T12:36:00Z with the suite's example key.
 */
const SUITE: AwsSigv4Request = {
  provider0: 'aws',
  provider1: 'amz',
  region: 'us-east-1',
  service: 'service',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const NOW = new Date('2015-08-30T12:36:00Z');
const HOST = 'https://example.amazonaws.com';

function signed(req: WireRequest, aws = SUITE, userHeaders: string[] = []) {
  const out = sigv4Signer(aws, userHeaders).sign(req, NOW);
  const get = (name: string) => out.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  return { out, authorization: get('authorization'), get };
}

const cases: Array<[string, WireRequest, string[], string, string]> = [
  [
    'get-vanilla',
    { method: 'GET', url: `${HOST}/`, headers: [] },
    [],
    'host;x-amz-date',
    '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  ],
  [
    'post-vanilla',
    { method: 'POST', url: `${HOST}/`, headers: [] },
    [],
    'host;x-amz-date',
    '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  ],
  [
    'get-vanilla-query-order-key-case',
    { method: 'GET', url: `${HOST}/?Param2=value2&Param1=value1`, headers: [] },
    [],
    'host;x-amz-date',
    'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  ],
  [
    'get-header-value-trim',
    {
      method: 'GET',
      url: `${HOST}/`,
      headers: [
        ['My-Header1', 'value1'],
        ['My-Header2', '"a   b   c"'],
      ],
    },
    ['my-header1', 'my-header2'],
    'host;my-header1;my-header2;x-amz-date',
    'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  ],
  [
    'get-unreserved',
    {
      method: 'GET',
      url: `${HOST}/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`,
      headers: [],
    },
    [],
    'host;x-amz-date',
    '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  ],
];

describe('AWS SigV4 test suite', () => {
  it.each(cases)('%s', (_name, req, userHeaders, signedHeaders, signature) => {
    const s = signed(req, SUITE, userHeaders);
    expect(s.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    );
    expect(s.get('x-amz-date')).toBe('20150830T123600Z');
  });

  it('get-vanilla-with-session-token: the token is a signed X-Amz-Security-Token header', () => {
    const token = '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267';
    const s = signed({ method: 'GET', url: `${HOST}/`, headers: [] }, { ...SUITE, sessionToken: token });
    expect(s.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
    );
    expect(s.get('x-amz-security-token')).toBe(token);
  });

  it('never puts the secret key in any header', () => {
    const s = signed({ method: 'GET', url: `${HOST}/`, headers: [] });
    for (const [, v] of s.out.headers) expect(v).not.toContain(SUITE.secretAccessKey);
  });

  it('S3 adds x-amz-content-sha256 (the body hash) and signs it; a re-signed request keeps one set', () => {
    const signer = sigv4Signer({ ...SUITE, service: 's3' }, []);
    const once = signer.sign({ method: 'PUT', url: `${HOST}/key`, headers: [], body: 'hello' }, NOW);
    const twice = signer.sign(once, NOW);
    const sha = twice.headers.filter(([n]) => n.toLowerCase() === 'x-amz-content-sha256');
    expect(sha).toEqual([
      ['x-amz-content-sha256', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ]);
    expect(twice.headers.filter(([n]) => n.toLowerCase() === 'authorization')).toHaveLength(1);
    expect(twice.headers.find(([n]) => n === 'Authorization')?.[1]).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date',
    );
  });
});

describe('--aws-sigv4 parameters, as curl reads them', () => {
  it.each([
    ['aws:amz:us-east-2:es', 'search.example.com', { region: 'us-east-2', service: 'es' }],
    ['aws:amz', 'es.eu-west-1.amazonaws.com', { region: 'eu-west-1', service: 'es' }],
    ['aws:amz:us-east-1', 'sts.amazonaws.com', { region: 'us-east-1', service: 'sts' }],
    [
      '',
      'execute-api.us-east-1.amazonaws.com',
      { provider0: 'aws', provider1: 'amz', service: 'execute-api' },
    ],
    ['osc', 'api.eu-west-2.outscale.com', { provider0: 'osc', provider1: 'osc', region: 'eu-west-2' }],
  ])('%s for %s', (param, host, want) => {
    expect(parseAwsSigv4(param, host)).toMatchObject(want);
  });

  it.each([
    ['aws:amz', 'localhost', /no service given/],
    ['aws:amz', '127.0.0.1', /is an address, which names none/],
    ['aws:amz', 'api.example', /no region given/],
    [':amz', 'a.b.c', /first provider is empty/],
    ['aws:amz::s3', 'a.b.c', /region is empty/],
  ])('%s for %s cannot be signed', (param, host, problem) => {
    const r = parseAwsSigv4(param, host);
    expect('problem' in r && r.problem).toMatch(problem);
  });
});
