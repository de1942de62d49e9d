import check from '../../src/checks/authz-explicit-deny.js';
import { testCheck } from '../support/check-tester.js';

/** A SigV4-signed request (the credential is the Authorization header). */
const SIGNED = {
  Authorization:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
};
/** API Gateway's answer for a resource policy Deny (repost.aws api-gateway-troubleshoot-403-forbidden). */
const DENY_ROLE =
  '{"Message":"User: arn:aws:sts::123456789012:assumed-role/Deployer/ci-session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets with an explicit deny"}';
const DENY_ANON =
  '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets with an explicit deny"}';
const APIGW = { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' };

testCheck(check, {
  valid: [
    {
      name: 'no policy allows it: that is authz.no-allow',
      input: {
        headers: SIGNED,
        status: 403,
        responseHeaders: APIGW,
        responseBody: DENY_ROLE.replace(' with an explicit deny', ''),
      },
    },
    {
      name: 'the same Deny for the unsigned request: a rule about the request (authz.request-rule)',
      input: {
        headers: SIGNED,
        status: 403,
        responseHeaders: APIGW,
        responseBody: DENY_ANON,
        anonymous: { status: 403, responseHeaders: APIGW, responseBody: DENY_ANON },
      },
    },
  ],
  invalid: [
    {
      name: 'API Gateway resource policy: an explicit deny for an assumed role',
      input: {
        url: 'https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/pets',
        headers: SIGNED,
        status: 403,
        responseHeaders: APIGW,
        responseBody: DENY_ROLE,
        anonymous: { status: 403, responseHeaders: APIGW, responseBody: DENY_ANON },
      },
      expect: {
        id: 'authz.explicit-deny',
        confidence: 'confirmed',
        title:
          'AWS API Gateway refuses "arn:aws:sts::123456789012:assumed-role/Deployer/ci-session" `execute-api:Invoke` on arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets: a policy explicitly denies it',
        evidence: [
          { where: 'response.header.x-amzn-errortype', value: 'AccessDeniedException' },
          { where: 'authz.rule', value: 'explicit-deny' },
          {
            where: 'authz.confirm',
            value:
              'aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/Deployer --action-names execute-api:Invoke --resource-arns arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets',
          },
        ],
      },
    },
    {
      name: 'S3: an explicit deny in a resource-based policy (docs.aws.amazon.com S3 troubleshoot-403-errors)',
      input: {
        headers: SIGNED,
        status: 403,
        responseHeaders: { 'Content-Type': 'application/xml', Server: 'AmazonS3' },
        responseBody:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/object-name" with an explicit deny in a resource-based policy</Message><RequestId>5Y1SKP3W9Q2B2TMF</RequestId></Error>',
      },
      expect: {
        mentions: ['policy type: resource-based', 'aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket'],
        evidence: [{ where: 'authz.rule', value: 'explicit-deny (resource-based policy)' }],
      },
    },
  ],
});
