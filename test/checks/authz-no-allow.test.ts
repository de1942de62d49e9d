import check from '../../src/checks/authz-no-allow.js';
import { testCheck } from '../support/check-tester.js';

const BEARER = { Authorization: 'Bearer ya29.a0AfH6SMBexampleexampleexampleexample' };
/** google.rpc.Status with ErrorInfo (cloud.google.com/iam/docs/permission-error-messages, AIP-193). */
const GCP = JSON.stringify({
  error: {
    code: 403,
    message:
      "Permission 'storage.buckets.get' denied on resource '//storage.googleapis.com/projects/_/buckets/reports' (or it may not exist).",
    status: 'PERMISSION_DENIED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'IAM_PERMISSION_DENIED',
        domain: 'iam.googleapis.com',
        metadata: {
          permission: 'storage.buckets.get',
          resource: '//storage.googleapis.com/projects/_/buckets/reports',
        },
      },
    ],
  },
});

testCheck(check, {
  valid: [
    {
      name: 'a 403 without recognised words',
      input: { headers: BEARER, status: 403, responseBody: '{"message":"nope"}' },
    },
    {
      name: 'a Kubernetes refusal is a role (authz.role-missing)',
      input: {
        headers: BEARER,
        status: 403,
        responseBody:
          '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden: User \\"x\\" cannot get path \\"/metrics\\"","reason":"Forbidden","code":403}',
      },
    },
  ],
  invalid: [
    {
      name: 'Google Cloud IAM_PERMISSION_DENIED',
      input: {
        headers: BEARER,
        status: 403,
        responseBody: GCP,
        anonymous: { status: 401, responseBody: '{"error":{"code":401}}' },
      },
      expect: {
        id: 'authz.no-allow',
        confidence: 'confirmed',
        title:
          'Google Cloud IAM refuses this caller `storage.buckets.get` on //storage.googleapis.com/projects/_/buckets/reports: no policy allows it',
        evidence: [
          { where: 'response.body.error.details[0].metadata.permission', value: 'storage.buckets.get' },
          {
            where: 'authz.confirm',
            value:
              'gcloud policy-intelligence troubleshoot-policy iam //storage.googleapis.com/projects/_/buckets/reports --principal-email=PRINCIPAL_EMAIL --permission=storage.buckets.get',
          },
        ],
      },
    },
    {
      name: 'Keycloak UMA grant: not_authorized',
      input: {
        url: 'https://sso.example.com/realms/shop/protocol/openid-connect/token',
        method: 'POST',
        headers: BEARER,
        status: 403,
        responseBody: '{"error":"access_denied","error_description":"not_authorized"}',
      },
      expect: {
        mentions: [
          'Keycloak Authorization Services',
          'https://sso.example.com/admin/master/console/#/shop/clients',
        ],
      },
    },
  ],
});
