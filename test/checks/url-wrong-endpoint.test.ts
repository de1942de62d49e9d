import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import check from '../../src/checks/url-wrong-endpoint.js';
import { describe, expect, it } from 'vitest';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';
import { PETS } from '../support/openapi-summary.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTc5NTc3MjcyMH0.c2lnbmF0dXJl';
const APIGW = { 'content-type': 'application/json', 'x-amzn-RequestId': '1f0c2b5e-3d4a-4a77' };
const CLOUDFRONT = { 'x-cache': 'Error from cloudfront', 'x-amz-cf-id': 'abc==' };

testCheck(check, {
  valid: [
    {
      name: '--openapi: a documented path under the server path',
      input: { url: 'https://api.example.com/v1/pets/42', status: 401, openapi: PETS },
    },
    {
      name: '--openapi: HEAD of a documented GET',
      input: { method: 'HEAD', url: 'https://api.example.com/v1/pets', status: 401, openapi: PETS },
    },
    {
      name: '--openapi: an undocumented path that answers 200 (the document is out of date)',
      input: { url: 'https://api.example.com/v1/pet', status: 200, openapi: PETS },
    },
    {
      name: 'a healthy 200 from API Gateway',
      input: { status: 200, responseHeaders: APIGW, responseBody: '{"items":[]}' },
    },
    {
      name: 'an authorizer refusal is not an unknown route',
      input: {
        status: 401,
        responseHeaders: { ...APIGW, 'x-amzn-ErrorType': 'UnauthorizedException' },
        responseBody: '{"message":"Unauthorized"}',
      },
    },
    {
      name: "the API's own 403",
      input: { status: 403, responseHeaders: APIGW, responseBody: '{"message":"Forbidden: not your order"}' },
    },
    {
      name: 'a documentation page quoting the message with 200',
      input: {
        status: 200,
        responseBody: '<p>"Missing Authentication Token" usually means a wrong path.</p>',
      },
    },
  ],
  invalid: [
    {
      name: '--openapi: a path the document lacks (a typo), refused with 401',
      input: { url: 'https://api.example.com/v1/pet', status: 401, openapi: PETS },
      expect: {
        confidence: 'likely',
        title: 'pets.yaml documents no GET /pet: the path /pet is not part of this API',
        mentions: ['The nearest documented: GET /pets'],
        evidence: [{ where: 'openapi.operations' }],
      },
    },
    {
      name: '--openapi: a method the document lacks names the documented ones',
      input: { method: 'DELETE', url: 'https://api.example.com/v1/pets', status: 403, openapi: PETS },
      expect: {
        title: 'pets.yaml documents no DELETE /pets: the method DELETE is not part of this API',
        mentions: ['GET /pets, POST /pets'],
      },
    },
    {
      name: '--openapi --offline: a wrong version prefix, known before anything is sent',
      input: { url: 'https://api.example.com/v2/pets', offline: true, openapi: PETS },
      expect: { confidence: 'possible', mentions: ['Nothing was sent', 'under the server path /v1'] },
    },
    {
      name: 'AWS API Gateway: Missing Authentication Token',
      input: {
        url: 'https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/itemz',
        status: 403,
        responseHeaders: { ...APIGW, 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' },
        responseBody: '{"message":"Missing Authentication Token"}',
      },
      expect: {
        id: 'url.wrong-endpoint',
        kind: 'cause',
        step: 1,
        confidence: 'likely',
        title:
          'AWS API Gateway answered "Missing Authentication Token": the path, method or stage probably does not exist',
        mentions: ['GET https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/itemz', 'stage'],
        evidence: [
          {
            where: 'request.url',
            value: 'GET https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/itemz',
          },
          { where: 'response.header.x-amzn-errortype', value: 'MissingAuthenticationTokenException' },
          { where: 'response.status', value: '403' },
        ],
      },
    },
    {
      name: 'AWS API Gateway reads a Bearer token as a SigV4 header',
      input: {
        headers: { Authorization: `Bearer ${JWT}` },
        status: 403,
        responseHeaders: { ...APIGW, 'x-amzn-ErrorType': 'IncompleteSignatureException' },
        responseBody: JSON.stringify({
          message: `'${JWT}' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer ${JWT}'.`,
        }),
      },
      expect: { confidence: 'likely', mentions: ['SigV4'] },
    },
    {
      name: 'CloudFront refuses a method the cache behavior does not allow',
      input: {
        method: 'POST',
        status: 403,
        responseHeaders: CLOUDFRONT,
        responseBody:
          '<H2>The request could not be satisfied.</H2>\nThis distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.\nGenerated by cloudfront (CloudFront)',
      },
      expect: { confidence: 'likely', mentions: ['POST', 'cache behavior'] },
    },
    {
      name: "Apigee: the path is not in the credential's API product",
      input: {
        status: 401,
        responseHeaders: { 'content-type': 'application/json' },
        responseBody:
          '{"fault":{"faultstring":"APIResource /v1/orderz does not exist","detail":{"errorcode":"keymanagement.service.apiresource_doesnot_exist"}}}',
      },
      expect: { confidence: 'likely', mentions: ['Apigee'] },
    },
    {
      name: 'S3 behind CloudFront: AccessDenied for a missing key (possible)',
      input: {
        status: 403,
        responseHeaders: { server: 'AmazonS3', ...CLOUDFRONT },
        responseBody:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      },
      expect: { confidence: 'possible', mentions: ['Amazon S3'] },
    },
  ],
});

describe('url.wrong-endpoint redaction', () => {
  it('never repeats the token API Gateway echoes back', () => {
    const facts = deriveFacts(
      ev({
        headers: { Authorization: `Bearer ${JWT}` },
        status: 403,
        responseHeaders: { 'x-amzn-ErrorType': 'IncompleteSignatureException' },
        responseBody: JSON.stringify({
          message: `'${JWT}' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer ${JWT}'.`,
        }),
      }),
    );
    const found = check.run(facts).map((d) => toFinding(check.meta, d));
    expect(found).toHaveLength(1);
    const text = JSON.stringify(found);
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('c2lnbmF0dXJl');
  });
});
