import { createHash, createHmac } from 'node:crypto';
import type { AwsSigv4Request } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import type { WireRequest } from './transport.js';

/**
 * AWS Signature Version 4 for `--aws-sigv4`, as curl computes it (lib/http_aws_sigv4.c) and as AWS
 * specifies it (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   StringToSign     = AWS4-HMAC-SHA256 \n Timestamp \n Date/Region/Service/aws4_request \n HexSHA256(CanonicalRequest)
 *   SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, Date), Region), Service), "aws4_request")
 *
 * What curl signs: Host, the headers given with -H, X-Amz-Date, and for S3 x-amz-content-sha256
 * (curl 8.x); with `-u KEY:SECRET:TOKEN` the X-Amz-Security-Token too. The secret key only keys
 * the HMAC: it is never sent. Checked against AWS's published test suite (aws-c-auth,
 * tests/aws-signing-test-suite/v4: get-vanilla, post-vanilla, get-header-value-trim,
 * get-unreserved, get-vanilla-query-order-key-case, get-vanilla-with-session-token) in
 * test/probe/sigv4.test.ts.
 */

const sha256hex = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer =>
  createHmac('sha256', key).update(s, 'utf8').digest();

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes, upper-case hex. */
function awsEncode(bytes: Buffer, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-decoding as curl's Curl_urldecode: a `%` not followed by two hex digits stays as it is. */
function percentDecode(s: string): Buffer {
  const out: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (
      b === 0x25 &&
      i + 2 < raw.length &&
      /^[0-9a-fA-F]{2}$/.test(raw.subarray(i + 1, i + 3).toString('latin1'))
    ) {
      out.push(parseInt(raw.subarray(i + 1, i + 3).toString('latin1'), 16));
      i += 2;
    } else out.push(b);
  }
  return Buffer.from(out);
}

/**
 * The canonical URI: the path as the URL parser left it (dot segments resolved); services other
 * than S3 encode it once more, so `%20` signs as `%2520` (AWS: "each path segment must be
 * URI-encoded twice", except for Amazon S3; curl's should_urlencode).
 */
function canonicalUri(path: string, service: string): string {
  const p = path || '/';
  if (service === 's3' || service === 's3-express' || service === 's3-outposts') return p;
  return awsEncode(Buffer.from(p, 'utf8'), true);
}

/** The canonical query: each name and value decoded, encoded again, sorted by name then value. */
function canonicalQuery(search: string): string {
  const q = search.replace(/^\?/, '');
  if (!q) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    // curl encodes a literal `+` as %20 (encode_query_component).
    const enc = (s: string) => awsEncode(percentDecode(s), false).replace(/%2B/g, '%20');
    pairs.push([enc(k), enc(v)]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Lower-case name; value without leading and trailing blanks, inner runs of blanks as one space. */
function canonicalValue(v: string): string {
  return v.replace(/^[ \t]+|[ \t]+$/g, '').replace(/[ \t]+/g, ' ');
}

function timestampOf(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `amz` → `Amz`: the case curl writes X-Amz-Date in. */
function ucfirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

export interface Sigv4Signer {
  /** Header names (lower case) the signer adds; a request re-signed loses them first. */
  readonly added: string[];
  /** The request with its signature headers (Authorization, X-Amz-Date …) for `url` and `body`. */
  sign(req: WireRequest, now?: Date): WireRequest;
}

/**
 * A signer for one run. `userHeaders` are the names (lower case) given with -H: the ones curl
 * signs besides Host and its own; the headers why401 adds as curl does (User-Agent, Accept) are
 * sent unsigned, as curl sends them.
 */
export function sigv4Signer(aws: AwsSigv4Request, userHeaders: string[]): Sigv4Signer {
  const p1 = aws.provider1.toLowerCase();
  const dateName = `x-${p1}-date`;
  const shaName = `x-${p1}-content-sha256`;
  const tokenName = `x-${p1}-security-token`;
  const algorithm = `${aws.provider0.toUpperCase()}4-HMAC-SHA256`;
  const requestType = `${aws.provider0.toLowerCase()}4_request`;
  const signS3 = aws.provider0.toLowerCase() === 'aws' && aws.service.toLowerCase() === 's3';
  const userSet = new Set(userHeaders.map((h) => h.toLowerCase()));
  const added = ['authorization', ...[dateName, shaName, tokenName].filter((n) => !userSet.has(n))];

  return {
    added,
    sign(req, now = new Date()) {
      const base = req.headers.filter(([n]) => !added.includes(n.toLowerCase()));
      const url = new URL(req.url);
      const find = (name: string) => base.find(([n]) => n.toLowerCase() === name)?.[1];
      // A timestamp the user gave (-H 'X-Amz-Date: …') is the one signed, as curl does.
      const given = find(dateName)?.trim();
      const timestamp = given && /^\d{8}T\d{6}Z$/.test(given) ? given : timestampOf(now);
      const date = timestamp.slice(0, 8);
      const payloadHash = find(shaName)?.trim() || sha256hex(req.body ?? '');

      const extra: HeaderList = [];
      if (!userSet.has(dateName)) extra.push([`X-${ucfirst(p1)}-Date`, timestamp]);
      if (signS3 && !userSet.has(shaName)) extra.push([shaName, payloadHash]);
      if (aws.sessionToken !== undefined && !userSet.has(tokenName))
        extra.push([`X-${ucfirst(p1)}-Security-Token`, aws.sessionToken]);

      const signed = new Map<string, string[]>();
      const add = (name: string, value: string) => {
        const n = name.toLowerCase();
        signed.set(n, [...(signed.get(n) ?? []), canonicalValue(value)]);
      };
      if (!find('host')) add('host', url.host);
      for (const [n, v] of base) if (userSet.has(n.toLowerCase())) add(n, v);
      for (const [n, v] of extra) add(n, v);
      const names = [...signed.keys()].sort();
      const canonicalHeaders = names.map((n) => `${n}:${signed.get(n)!.join(',')}\n`).join('');
      const signedHeaders = names.join(';');

      const canonicalRequest = [
        req.method.toUpperCase(),
        canonicalUri(url.pathname, aws.service),
        canonicalQuery(url.search),
        canonicalHeaders,
        signedHeaders,
        payloadHash,
      ].join('\n');
      const scope = `${date}/${aws.region}/${aws.service}/${requestType}`;
      const stringToSign = [algorithm, timestamp, scope, sha256hex(canonicalRequest)].join('\n');
      let key: Buffer = hmac(`${aws.provider0.toUpperCase()}4${aws.secretAccessKey}`, date);
      for (const part of [aws.region, aws.service, requestType]) key = hmac(key, part);
      const signature = hmac(key, stringToSign).toString('hex');

      const headers: HeaderList = [
        ...base,
        [
          'Authorization',
          `${algorithm} Credential=${aws.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
        ],
        ...extra,
      ];
      const out: WireRequest = { method: req.method, url: req.url, headers };
      if (req.body !== undefined) out.body = req.body;
      return out;
    },
  };
}
