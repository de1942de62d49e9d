import check from '../../src/checks/network-unreachable.js';
import { testCheck } from '../support/check-tester.js';

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
  ],
});
