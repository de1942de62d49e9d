import check from '../../src/checks/network-tls-intercepted.js';
import { looksPublicHost, tlsOf } from '../../src/checks/network-tls-intercepted.js';
import { deriveFacts } from '../../src/facts/request.js';
import type { CertInfo, TlsInfo } from '../../src/model/evidence.js';
import { describe, expect, it } from 'vitest';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

function cert(subject: string, issuer: string, selfSigned = false): CertInfo {
  return {
    subject,
    issuer,
    validFrom: '2026-11-01T00:00:00.000Z',
    validTo: '2027-01-01T00:00:00.000Z',
    fingerprint256: `${subject}|${issuer}`,
    selfSigned,
  };
}

const ZSCALER_ROOT =
  'CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US, emailAddress=support@zscaler.com';
const ZSCALER_INTER = 'CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.';
const LEAF = 'CN=api.example.com, O=Example Corp';

/** What Node reports for the API behind Zscaler: leaf ← Zscaler intermediate ← Zscaler root. */
const zscaler = (authorized = false): TlsInfo => ({
  protocol: 'TLSv1.3',
  authorized,
  ...(authorized ? {} : { authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
  chain: [
    cert(LEAF, ZSCALER_INTER),
    cert(ZSCALER_INTER, ZSCALER_ROOT),
    cert(ZSCALER_ROOT, ZSCALER_ROOT, true),
  ],
});

const TLS_ERROR = {
  phase: 'tls' as const,
  code: 'SELF_SIGNED_CERT_IN_CHAIN',
  message:
    'a self-signed certificate is in the chain: often a TLS-intercepting proxy (self-signed certificate in certificate chain)',
};

const ACME_ROOT = 'CN=Acme Corp Inspection Root, O=Acme Corp';
/** An unknown organisation's root, as a firewall from no known product would present it. */
const acme = (error = 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'): TlsInfo => ({
  authorized: false,
  authorizationError: error,
  chain: [
    cert(LEAF, 'CN=Acme Issuing CA 2, O=Acme Corp'),
    cert('CN=Acme Issuing CA 2, O=Acme Corp', ACME_ROOT),
  ],
});

const LE = "CN=R11, O=Let's Encrypt, C=US";
const publicChain: TlsInfo = {
  protocol: 'TLSv1.3',
  alpn: 'h2',
  authorized: true,
  chain: [
    cert('CN=api.example.com', LE),
    cert(LE, 'CN=ISRG Root X1, O=Internet Security Research Group, C=US'),
  ],
};

testCheck(check, {
  valid: [
    { name: 'no TLS session recorded (plain http, or not probed)', input: { status: 401 } },
    { name: 'a public chain, verified', input: { status: 401, tls: publicChain } },
    {
      name: 'a self-signed server certificate is not a middlebox',
      input: {
        error: { phase: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed' },
        tls: {
          authorized: false,
          authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
          chain: [cert('CN=api.example.com, O=Acme Dev', 'CN=api.example.com, O=Acme Dev', true)],
        },
      },
    },
    {
      name: 'an expired certificate from a public CA is not interception',
      input: {
        error: { phase: 'tls', code: 'CERT_HAS_EXPIRED', message: 'expired' },
        tls: { ...publicChain, authorized: false, authorizationError: 'CERT_HAS_EXPIRED' },
      },
    },
    {
      name: 'a private root on an internal host name is the organisation’s own PKI',
      input: { url: 'https://wiki.corp/api', error: TLS_ERROR, tls: acme('SELF_SIGNED_CERT_IN_CHAIN') },
    },
    {
      name: 'a private root on a private IP address',
      input: { url: 'https://10.1.2.3/api', error: TLS_ERROR, tls: acme() },
    },
    {
      name: 'the site’s own private PKI (same organisation as the leaf)',
      input: {
        error: TLS_ERROR,
        tls: {
          authorized: false,
          authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
          chain: [
            cert('CN=api.example.com, O=Example Corp', 'CN=Example Root, O=Example Corp'),
            cert('CN=Example Root, O=Example Corp', 'CN=Example Root, O=Example Corp', true),
          ],
        },
      },
    },
    {
      name: 'an incomplete chain (missing intermediate) is not a middlebox',
      input: {
        error: { phase: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'incomplete' },
        tls: {
          authorized: false,
          authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          chain: [cert(LEAF, LE)],
        },
      },
    },
    {
      name: "Zscaler's own site, signed by Zscaler",
      input: { url: 'https://admin.zscaler.net/', status: 401, tls: zscaler(true) },
    },
  ],
  invalid: [
    {
      name: 'Zscaler stops the request at TLS (Node does not trust its root)',
      input: { error: TLS_ERROR, tls: zscaler() },
      expect: {
        id: 'network.tls-intercepted',
        kind: 'cause',
        step: 5,
        confidence: 'confirmed',
        mentions: ['Zscaler', 'api.example.com', ZSCALER_INTER, 'SELF_SIGNED_CERT_IN_CHAIN', 'no HTTP'],
        evidence: [
          { probe: 'main', where: 'tls.chain[0].issuer', value: ZSCALER_INTER },
          { where: 'tls.authorizationError', value: 'SELF_SIGNED_CERT_IN_CHAIN' },
        ],
        count: 1,
      },
    },
    {
      name: 'Zscaler trusted (root installed) and the API answers 401: still the prime suspect',
      input: { status: 401, tls: zscaler(true) },
      expect: {
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['Zscaler', '401', 'stripped'],
        fix: expect.stringContaining('--cacert company-root.pem') as unknown as string,
      },
    },
    {
      name: 'the request succeeded through Zscaler: a warning',
      input: { status: 200, tls: zscaler(true) },
      expect: { kind: 'warning', confidence: 'confirmed', mentions: ['strip or rewrite headers'] },
    },
    {
      name: 'a 404 is not a failure a middlebox explains: a warning',
      input: { status: 404, tls: zscaler(true) },
      expect: { kind: 'warning' },
    },
    {
      name: 'a debugging proxy gets its own fix',
      input: {
        status: 403,
        tls: {
          authorized: true,
          chain: [
            cert(
              LEAF,
              'CN=Charles Proxy CA (4 Sep 2018\\, bogon), OU=https://charlesproxy.com/ssl, O=XK72 Ltd, L=Auckland, ST=Auckland, C=NZ',
            ),
          ],
        },
      },
      expect: {
        kind: 'cause',
        confidence: 'confirmed',
        title: 'TLS to api.example.com is intercepted by Charles Proxy',
        fix: expect.stringContaining('SSL proxying') as unknown as string,
      },
    },
    {
      name: 'an antivirus web shield',
      input: {
        error: TLS_ERROR,
        tls: {
          authorized: false,
          authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
          chain: [
            cert(LEAF, 'CN=ESET SSL Filter CA, O=ESET\\, spol. s r. o., C=SK'),
            cert(
              'CN=ESET SSL Filter CA, O=ESET\\, spol. s r. o., C=SK',
              'CN=ESET SSL Filter CA, O=ESET\\, spol. s r. o., C=SK',
              true,
            ),
          ],
        },
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['ESET'],
        fix: expect.stringContaining('scanning') as unknown as string,
      },
    },
    {
      name: 'a product known only by an unverified vendor-name rule is likely, not confirmed',
      input: {
        error: TLS_ERROR,
        tls: {
          authorized: false,
          authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
          chain: [cert(LEAF, 'CN=Corp Outbound CA, O=Check Point Software Technologies')],
        },
      },
      expect: { confidence: 'likely', mentions: ['Check Point'] },
    },
    {
      name: 'an unknown organisation’s root in front of a public API: likely',
      input: { error: { ...TLS_ERROR, code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, tls: acme() },
      expect: {
        kind: 'cause',
        confidence: 'likely',
        title: 'TLS to api.example.com is likely intercepted: the chain ends at "Acme Corp", not a public CA',
        mentions: [ACME_ROOT, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
        evidence: [{ where: 'tls.chain[1].issuer', value: ACME_ROOT }],
      },
    },
    {
      name: 'an unknown root with an inspection-like name but no O=, sent by the server',
      input: {
        status: 401,
        tls: {
          authorized: false,
          authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
          chain: [
            cert(LEAF, 'CN=SSL Inspection Root'),
            cert('CN=SSL Inspection Root', 'CN=SSL Inspection Root', true),
          ],
        },
      },
      expect: { kind: 'cause', confidence: 'likely', evidence: [{ where: 'tls.chain[1].subject' }] },
    },
  ],
});

describe('the TLS session it reads', () => {
  it('is the final hop’s, else the last hop that has one', () => {
    const e = ev({
      status: 401,
      hops: [{ status: 302, responseHeaders: { Location: 'https://api.example.com/v2/me' } }],
    });
    e.exchanges[0]!.tls = zscaler(true);
    const found = check.run(deriveFacts(e));
    expect(found).toHaveLength(1);
    expect(found[0]!.evidence).toContainEqual({
      probe: 'main',
      where: 'tls.chain[0].issuer',
      value: ZSCALER_INTER,
    });
    expect(tlsOf(deriveFacts(e))?.x.hop).toBe(0);
    e.exchanges[1]!.tls = publicChain;
    expect(tlsOf(deriveFacts(e))?.x.hop).toBe(1);
    expect(check.run(deriveFacts(e))).toEqual([]);
  });
});

describe('looksPublicHost', () => {
  it('tells public names from internal ones', () => {
    for (const h of ['api.example.com', 'example.org', '8.8.8.8', '2001:db8::1'])
      expect(looksPublicHost(h), h).toBe(true);
    for (const h of [
      'localhost',
      'intranet',
      'wiki.corp',
      'nas.local',
      'svc.internal',
      '10.0.0.1',
      '192.168.1.2',
      '172.20.0.1',
      '127.0.0.1',
      '::1',
      'fd00::1',
    ])
      expect(looksPublicHost(h), h).toBe(false);
  });
});
