import check from '../../src/checks/authz-tenant-policy.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = { Authorization: 'Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' };
/** docs.github.com, authenticating to the REST API: SAML SSO and the X-GitHub-SSO header. */
const SSO = {
  'X-GitHub-Request-Id': 'C0DE:1234:5678:9ABC:65F00000',
  'X-GitHub-SSO':
    'required; url=https://github.com/orgs/octodocs-test/sso?authorization_request=AZSCKtL4U8yX1H3sCQIVnVgmjmon5fWxks5YrqhJgah0b2tlbl9pZM4EuMz4',
};

testCheck(check, {
  valid: [
    { name: 'a 200', input: { headers: TOKEN, status: 200 } },
    {
      name: 'a resource-based explicit deny is the account’s own (authz.explicit-deny)',
      input: {
        headers: TOKEN,
        status: 403,
        responseBody:
          '<Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a resource-based policy</Message></Error>',
      },
    },
  ],
  invalid: [
    {
      name: 'GitHub SAML SSO enforcement',
      input: {
        url: 'https://api.github.com/repos/octodocs-test/test',
        headers: TOKEN,
        status: 403,
        responseHeaders: SSO,
        responseBody:
          '{"message":"Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.","documentation_url":"https://docs.github.com"}',
      },
      expect: {
        id: 'authz.tenant-policy',
        mentions: ['https://github.com/orgs/octodocs-test/sso?authorization_request='],
        evidence: [{ where: 'response.header.x-github-sso' }],
      },
    },
    {
      // docs.aws.amazon.com S3 troubleshoot-403-errors: "with an explicit deny in a service control policy".
      name: 'AWS: an explicit deny in a service control policy',
      input: {
        headers: TOKEN,
        status: 403,
        responseBody:
          '<Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/object-name" with an explicit deny in a service control policy</Message></Error>',
      },
      expect: {
        title:
          'Amazon S3 refuses "arn:aws:iam::777788889999:user/MaryMajor" `s3:GetObject` on arn:aws:s3:::amzn-s3-demo-bucket/object-name: a policy of the organisation or tenant forbids it',
        mentions: [
          'aws organizations list-policies-for-target --target-id 777788889999 --filter SERVICE_CONTROL_POLICY',
        ],
      },
    },
  ],
});
