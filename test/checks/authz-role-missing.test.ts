import { expect } from 'vitest';
import check from '../../src/checks/authz-role-missing.js';
import { testCheck } from '../support/check-tester.js';

const BEARER = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln' };
/** The API server's Status (kubernetes/apiserver responsewriters/errors.go, forbiddenMessage). */
const status = (message: string): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });
const ALICE = status(
  'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "dev"',
);
const ANON = status(
  'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "dev"',
);
/** Azure Resource Manager (learn.microsoft.com/azure/role-based-access-control/troubleshooting). */
const ARM = JSON.stringify({
  error: {
    code: 'AuthorizationFailed',
    message:
      "The client '3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f' with object id '3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg' or the scope is invalid. If access was recently granted, please refresh your credentials.",
  },
});

testCheck(check, {
  valid: [
    { name: 'a 200', input: { headers: BEARER, status: 200, responseBody: '{"kind":"PodList"}' } },
    { name: 'no credentials sent', input: { status: 403, responseBody: ANON } },
    {
      name: 'the anonymous request gets the same words: a rule about the request',
      input: {
        headers: BEARER,
        status: 403,
        responseBody: ALICE,
        anonymous: { status: 403, responseBody: ALICE },
      },
    },
    { name: 'a bare 403', input: { headers: BEARER, status: 403, responseBody: 'Forbidden' } },
  ],
  invalid: [
    {
      name: 'Kubernetes: alice may not list pods in dev (the anonymous probe was system:anonymous)',
      input: {
        url: 'https://k8s.example.com:6443/api/v1/namespaces/dev/pods',
        headers: BEARER,
        status: 403,
        responseHeaders: { 'Content-Type': 'application/json' },
        responseBody: ALICE,
        anonymous: { status: 403, responseBody: ANON },
      },
      expect: {
        id: 'authz.role-missing',
        kind: 'cause',
        confidence: 'confirmed',
        title: 'Kubernetes API server refuses "alice" `list` on pods in namespace "dev": no role grants it',
        mentions: ['kubectl auth can-i list pods --as alice -n dev'],
        evidence: [
          {
            where: 'response.body.message',
            value:
              'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "dev"',
          },
          { where: 'authz.principal', value: 'alice' },
          { where: 'authz.action', value: 'list' },
          { where: 'authz.rule', value: 'missing-role' },
          { where: 'authz.confirm', value: 'kubectl auth can-i list pods --as alice -n dev' },
        ],
      },
    },
    {
      name: 'Azure Resource Manager AuthorizationFailed',
      input: { headers: BEARER, status: 403, responseBody: ARM },
      expect: {
        title:
          'Azure Resource Manager refuses "3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f" `Microsoft.Resources/subscriptions/resourcegroups/read` on /subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg: no role grants it',
        fix: expect.stringContaining(
          'az role assignment list --assignee 3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f --scope /subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg --include-inherited',
        ) as unknown as string,
      },
    },
  ],
});
