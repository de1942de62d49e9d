import check from '../../src/checks/info-request-ids.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    {
      name: 'no ids',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"', 'Content-Type': 'application/json' },
      },
    },
    {
      name: 'Envoy headers are not request ids',
      input: { status: 401, responseHeaders: { 'x-envoy-upstream-service-time': '3', server: 'envoy' } },
    },
    {
      name: 'only the anonymous probe had an id',
      input: { status: 401, anonymous: { status: 401, responseHeaders: { 'X-Request-Id': 'anon-1' } } },
    },
  ],
  invalid: [
    {
      name: 'AWS API Gateway',
      input: {
        status: 403,
        responseHeaders: {
          'x-amzn-RequestId': 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
          'x-amz-apigw-id': 'D2cQHFlYoAMFpzg=',
          'X-Amzn-Trace-Id': 'Root=1-67891233-abcdef012345678912345678',
        },
      },
      expect: {
        id: 'info.request-ids',
        kind: 'info',
        step: 0,
        confidence: 'confirmed',
        title:
          "Request ids for the server's log: x-amzn-requestid c6af9ac6-7b61-11e6-9a41-93e8deadbeef, x-amz-apigw-id D2cQHFlYoAMFpzg=, x-amzn-trace-id Root=1-67891233-abcdef012345678912345678",
        mentions: ['AWS API Gateway', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
        evidence: [
          {
            probe: 'main',
            where: 'response.header.x-amzn-requestid',
            value: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
          },
          { where: 'response.header.x-amz-apigw-id', value: 'D2cQHFlYoAMFpzg=' },
          { where: 'response.header.x-amzn-trace-id', value: 'Root=1-67891233-abcdef012345678912345678' },
        ],
      },
    },
    {
      name: 'ids across redirect hops, duplicates once',
      input: {
        hops: [
          {
            status: 302,
            responseHeaders: {
              Location: 'https://api.example.com/v2/me',
              'CF-Ray': '8c1d2e3f4a5b6c7d-FRA',
              'X-Request-Id': 'r-1',
            },
          },
        ],
        status: 401,
        responseHeaders: {
          'CF-Ray': '8c1d2e3f4a5b6c7e-FRA',
          'X-Request-Id': 'r-1',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
      },
      expect: {
        count: 1,
        title:
          "Request ids for the server's log: cf-ray 8c1d2e3f4a5b6c7d-FRA, x-request-id r-1, cf-ray 8c1d2e3f4a5b6c7e-FRA, traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        evidence: [
          { probe: 'main', where: 'response.header.cf-ray', value: '8c1d2e3f4a5b6c7d-FRA' },
          { probe: 'main#1', where: 'response.header.cf-ray', value: '8c1d2e3f4a5b6c7e-FRA' },
          { probe: 'main#1', where: 'response.header.traceparent' },
        ],
      },
    },
    {
      name: 'GitHub',
      input: { status: 401, responseHeaders: { 'X-GitHub-Request-Id': 'C0DE:1234:5678AB:9ABCDE:67890123' } },
      expect: {
        mentions: ['GitHub'],
        evidence: [
          { where: 'response.header.x-github-request-id', value: 'C0DE:1234:5678AB:9ABCDE:67890123' },
        ],
      },
    },
    {
      name: 'Azure and Google',
      input: {
        status: 401,
        responseHeaders: {
          'x-ms-request-id': 'a1',
          'x-ms-correlation-request-id': 'b2',
          'X-Cloud-Trace-Context': '105445aa7843bc8bf206b12000100000/1;o=1',
        },
      },
      expect: {
        title:
          "Request ids for the server's log: x-ms-request-id a1, x-ms-correlation-request-id b2, x-cloud-trace-context 105445aa7843bc8bf206b12000100000/1;o=1",
      },
    },
    {
      name: 'Stripe Request-Id and Kong',
      input: { status: 401, responseHeaders: { 'Request-Id': 'req_a1b2c3', 'X-Kong-Request-Id': 'k-9' } },
      expect: {
        evidence: [
          { where: 'response.header.request-id', value: 'req_a1b2c3' },
          { where: 'response.header.x-kong-request-id', value: 'k-9' },
        ],
      },
    },
  ],
});
