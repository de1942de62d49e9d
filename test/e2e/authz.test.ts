import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * Issue 19 end to end: node:http servers answering with the platforms' recorded refusals (a
 * Kubernetes API server's Status, API Gateway's resource-policy deny, S3's extended AccessDenied),
 * and the built CLI naming the authz.* cause, the principal, the action and the confirm command.
 * The anonymous probe gets what each platform gives a request without credentials.
 */

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

/** kubernetes/apiserver responsewriters/errors.go: the Status of a refused request. */
function k8sStatus(user: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "dev"`,
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });
}

/** repost.aws api-gateway-troubleshoot-403-forbidden: a resource policy's Deny, for a signed role or `anonymous`. */
function apigwDeny(user: string): string {
  return JSON.stringify({
    Message: `User: ${user} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets with an explicit deny`,
  });
}

let k8s: TestServer;
let aws: TestServer;

beforeAll(async () => {
  k8s = await startServer((req, res) => {
    const user = req.headers.authorization ? 'alice' : 'system:anonymous';
    res.writeHead(403, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.end(k8sStatus(user));
  });
  aws = await startServer((req, res) => {
    res.writeHead(403, {
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': 'AccessDeniedException',
      'x-amzn-RequestId': '7a62c49f-347e-4fc4-9331-6e8eEXAMPLE',
    });
    // `/ip-only` refuses everyone alike (a source-IP condition): the anonymous request gets the same words.
    const signed = req.headers.authorization && !req.url?.startsWith('/ip-only');
    res.end(apigwDeny(signed ? 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-session' : 'anonymous'));
  });
});

afterAll(async () => {
  await k8s?.close();
  await aws?.close();
});

interface JsonReport {
  findings: Array<{
    id: string;
    kind: string;
    title: string;
    fix: string;
    evidence: Array<{ where: string; value: string }>;
  }>;
}

async function diagnose(url: string, headers: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await runCli(['--json', url, ...headers.flatMap((h) => ['-H', h])]);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

const value = (f: JsonReport['findings'][number], where: string): string | undefined =>
  f.evidence.find((e) => e.where === where)?.value;

describe.skipIf(!existsSync(CLI))('issue 19: 403 explained from the platform’s answer (built CLI)', () => {
  it('a Kubernetes-shaped API server: authz.role-missing, alice, list, and kubectl auth can-i filled in', async () => {
    const { code, report } = await diagnose(`${k8s.url}/api/v1/namespaces/dev/pods`, [
      `Authorization: Bearer ${TOKEN}`,
    ]);
    expect(code).toBe(1);
    const first = report.findings.find((f) => f.kind === 'cause')!;
    expect(first.id).toBe('authz.role-missing');
    expect(value(first, 'authz.principal')).toBe('alice');
    expect(value(first, 'authz.action')).toBe('list');
    expect(value(first, 'authz.rule')).toBe('missing-role');
    expect(value(first, 'authz.confirm')).toBe('kubectl auth can-i list pods --as alice -n dev');
    expect(first.fix).toContain('kubectl auth can-i list pods --as alice -n dev');
    expect(report.findings.map((f) => f.id)).not.toContain('authz.forbidden');
    expect(report.findings.map((f) => f.id)).not.toContain('authz.request-rule');
  });

  it('an AWS-shaped API Gateway: authz.explicit-deny for the assumed role, simulated as its role', async () => {
    const { code, report } = await diagnose(`${aws.url}/prod/pets`, [
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    ]);
    expect(code).toBe(1);
    const first = report.findings.find((f) => f.kind === 'cause')!;
    expect(first.id).toBe('authz.explicit-deny');
    expect(value(first, 'authz.principal')).toBe(
      'arn:aws:sts::123456789012:assumed-role/Deployer/ci-session',
    );
    expect(value(first, 'authz.action')).toBe('execute-api:Invoke');
    expect(value(first, 'authz.resource')).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets',
    );
    expect(value(first, 'authz.confirm')).toBe(
      'aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/Deployer --action-names execute-api:Invoke --resource-arns arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets',
    );
    expect(report.findings.map((f) => f.id)).not.toContain('authz.forbidden');
  });

  it('the same Deny for the anonymous request: authz.request-rule, never "the server knows who you are"', async () => {
    const { code, report } = await diagnose(`${aws.url}/ip-only/pets`, [`Authorization: Bearer ${TOKEN}`]);
    expect(code).toBe(1);
    const first = report.findings.find((f) => f.kind === 'cause')!;
    expect(first.id).toBe('authz.request-rule');
    expect(value(first, 'authz.principal')).toBe('anonymous');
    expect(value(first, 'authz.confirm')).toContain('aws apigateway get-rest-api --rest-api-id abcdef1234');
    const ids = report.findings.map((f) => f.id);
    for (const id of ['authz.explicit-deny', 'authz.forbidden']) expect(ids).not.toContain(id);
  });
});
