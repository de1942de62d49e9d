import { describe, expect, it } from 'vitest';
import check, { nameCovers, namesOf, span } from '../../src/checks/network-unreachable.js';
import type { CertInfo, TlsInfo } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

// NOW (test/support/evidence.ts) is 2026-11-27T12:00:00Z.
function cert(o: Partial<CertInfo> & { subject: string; issuer: string }): CertInfo {
  return {
    validFrom: '2026-09-01T00:00:00.000Z',
    validTo: '2026-12-31T00:00:00.000Z',
    fingerprint256: `${o.subject}|${o.issuer}`,
    selfSigned: false,
    ...o,
  };
}

const LE = "CN=R11, O=Let's Encrypt, C=US";
const tlsError = (code: string, message = code) => ({ phase: 'tls' as const, code, message });
const session = (authorizationError: string, chain: CertInfo[]): TlsInfo => ({
  authorized: false,
  authorizationError,
  chain,
});

testCheck(check, {
  valid: [
    { name: 'a 401 answer', input: { status: 401 } },
    {
      name: 'a header the tool refused to send is not a network problem',
      input: { error: { phase: 'refused-by-tool', code: 'INVALID_HEADER_VALUE', message: 'not sent' } },
    },
  ],
  invalid: [
    {
      name: 'DNS failure',
      input: {
        url: 'https://api.nowhere.invalid/x',
        error: { phase: 'dns', code: 'ENOTFOUND', message: 'the host name does not resolve (DNS)' },
      },
      expect: {
        id: 'network.unreachable',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['does not resolve', 'api.nowhere.invalid'],
        evidence: [{ where: 'error.dns', value: 'ENOTFOUND' }],
      },
    },
    {
      name: 'TLS failure',
      input: {
        error: { phase: 'tls', code: 'CERT_HAS_EXPIRED', message: 'the server certificate has expired' },
      },
      expect: { mentions: ['TLS', 'expired'], evidence: [{ where: 'error.tls' }] },
    },
    {
      name: 'expired, with the certificate read: when and how long ago',
      input: {
        error: tlsError('CERT_HAS_EXPIRED', 'the server certificate has expired (certificate has expired)'),
        tls: session('CERT_HAS_EXPIRED', [
          cert({
            subject: 'CN=api.example.com',
            issuer: LE,
            validFrom: '2026-07-01T00:00:00.000Z',
            validTo: '2026-10-01T00:00:00.000Z',
          }),
        ]),
      },
      expect: {
        confidence: 'confirmed',
        title: 'The TLS certificate of api.example.com expired 58 days ago',
        mentions: ['2026-10-01 00:00 UTC', 'No HTTP was exchanged'],
        fix: expect.stringContaining('renew') as unknown as string,
        evidence: [
          { where: 'error.tls', value: 'CERT_HAS_EXPIRED' },
          { where: 'tls.chain[0].validTo', value: '2026-10-01T00:00:00.000Z' },
        ],
        count: 1,
      },
    },
    {
      name: 'an expired intermediate is named as such',
      input: {
        error: tlsError('CERT_HAS_EXPIRED'),
        tls: session('CERT_HAS_EXPIRED', [
          cert({ subject: 'CN=api.example.com', issuer: 'CN=Old Issuing CA, O=Acme' }),
          cert({
            subject: 'CN=Old Issuing CA, O=Acme',
            issuer: 'CN=Acme Root',
            validTo: '2026-11-27T06:00:00.000Z',
          }),
        ]),
      },
      expect: {
        title: 'The TLS certificate of api.example.com expired 6 hours ago',
        mentions: ['Certificate 1 of the chain ("Old Issuing CA")'],
        evidence: [{ where: 'tls.chain[1].validTo' }],
      },
    },
    {
      name: 'not yet valid: points at the clock',
      input: {
        error: tlsError('CERT_NOT_YET_VALID'),
        tls: session('CERT_NOT_YET_VALID', [
          cert({ subject: 'CN=api.example.com', issuer: LE, validFrom: '2026-11-30T12:00:00.000Z' }),
        ]),
      },
      expect: {
        title: 'The TLS certificate of api.example.com is not valid yet',
        mentions: ['2026-11-30 12:00 UTC', '3 days from now', 'clock'],
        evidence: [{ where: 'tls.chain[0].validFrom' }],
      },
    },
    {
      name: 'self-signed: -k only for testing, --cacert to trust it',
      input: {
        error: tlsError('DEPTH_ZERO_SELF_SIGNED_CERT'),
        tls: session('DEPTH_ZERO_SELF_SIGNED_CERT', [
          cert({ subject: 'CN=localhost, O=Acme Dev', issuer: 'CN=localhost, O=Acme Dev', selfSigned: true }),
        ]),
      },
      expect: {
        title: 'The TLS certificate of api.example.com is self-signed',
        mentions: ['CN=localhost, O=Acme Dev'],
        fix: expect.stringMatching(/--cacert server\.pem.*-k.*testing only/s) as unknown as string,
        evidence: [{ where: 'tls.chain[0].subject', value: 'CN=localhost, O=Acme Dev' }],
      },
    },
    {
      name: 'wrong host: the names the certificate carries, against the host',
      input: {
        url: 'https://api.example.com/v1/me',
        error: tlsError('ERR_TLS_CERT_ALTNAME_INVALID'),
        tls: session('ERR_TLS_CERT_ALTNAME_INVALID', [
          cert({
            subject: 'CN=api.other.example',
            issuer: LE,
            subjectAltNames: ['DNS:api.other.example', 'DNS:*.other.example'],
          }),
        ]),
      },
      expect: {
        title: 'The TLS certificate is not valid for api.example.com',
        mentions: ['api.other.example, *.other.example, none of which is api.example.com'],
        fix: expect.stringContaining('(api.other.example)') as unknown as string,
        evidence: [{ where: 'tls.chain[0].subjectAltNames', value: 'api.other.example, *.other.example' }],
      },
    },
    {
      name: 'unknown CA: the root it ends at',
      input: {
        error: tlsError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'),
        tls: session('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', [
          cert({ subject: 'CN=api.example.com', issuer: 'CN=Acme Issuing CA, O=Acme' }),
          cert({ subject: 'CN=Acme Issuing CA, O=Acme', issuer: 'CN=Acme Root, O=Acme' }),
        ]),
      },
      expect: {
        title: 'The TLS certificate of api.example.com is issued by a CA this machine does not trust',
        mentions: ['"CN=Acme Root, O=Acme" (chain[1].issuer)', 'private CA'],
        fix: expect.stringContaining('--cacert ca.pem') as unknown as string,
        evidence: [{ where: 'tls.chain[1].issuer', value: 'CN=Acme Root, O=Acme' }],
      },
    },
    {
      name: 'unknown CA that is an interception product: named, and pointed at network.tls-intercepted',
      input: {
        error: tlsError('SELF_SIGNED_CERT_IN_CHAIN'),
        tls: session('SELF_SIGNED_CERT_IN_CHAIN', [
          cert({ subject: 'CN=api.example.com', issuer: 'CN=Zscaler Root CA, O=Zscaler Inc.' }),
          cert({
            subject: 'CN=Zscaler Root CA, O=Zscaler Inc.',
            issuer: 'CN=Zscaler Root CA, O=Zscaler Inc.',
            selfSigned: true,
          }),
        ]),
      },
      expect: {
        title:
          'The TLS certificate of api.example.com was issued by Zscaler, which this machine does not trust',
        mentions: ['network.tls-intercepted'],
        fix: expect.stringContaining('exempted') as unknown as string,
        evidence: [{ where: 'tls.chain[1].subject' }],
      },
    },
    {
      name: 'a leaf alone whose issuer is unknown: incomplete chain or private CA',
      input: {
        error: tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
        tls: session('UNABLE_TO_VERIFY_LEAF_SIGNATURE', [
          cert({ subject: 'CN=api.example.com', issuer: LE }),
        ]),
      },
      expect: { mentions: ['only its own certificate', 'intermediate'] },
    },
    {
      name: 'a TLS code without certificate facts keeps the plain explanation',
      input: {
        error: tlsError('EPROTO', 'the TLS handshake failed (wrong version number)'),
        tls: { authorized: false, chain: [] },
      },
      expect: { title: 'The TLS connection failed: api.example.com', mentions: ['wrong version number'] },
    },
  ],
});

describe('certificate helpers', () => {
  it('span says how long, in the largest sensible unit', () => {
    expect(span(57 * 86_400_000)).toBe('57 days');
    expect(span(-3 * 86_400_000)).toBe('3 days');
    expect(span(6 * 3_600_000)).toBe('6 hours');
    expect(span(30 * 86_400_000 + 1)).toBe('30 days');
    expect(span(90_000)).toBe('2 minutes');
    expect(span(1)).toBe('1 minute');
  });

  it('nameCovers follows RFC 6125: one wildcard label, left-most only', () => {
    expect(nameCovers('api.example.com', 'API.example.com.')).toBe(true);
    expect(nameCovers('*.example.com', 'api.example.com')).toBe(true);
    expect(nameCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'example.com')).toBe(false);
    expect(nameCovers('127.0.0.1', '127.0.0.1')).toBe(true);
  });

  it('namesOf reads the SANs, else the CN', () => {
    expect(
      namesOf(
        cert({ subject: 'CN=x', issuer: 'CN=y', subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'] }),
      ),
    ).toEqual(['localhost', '127.0.0.1']);
    expect(namesOf(cert({ subject: 'CN=legacy.example, O=A', issuer: 'CN=y' }))).toEqual(['legacy.example']);
  });
});
