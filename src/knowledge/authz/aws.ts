import { header, jsonFrom, sh, str, urlOf, xmlText } from './read.js';
import type { AuthzDecision, AuthzInput, AuthzQuote, AuthzRule } from './types.js';

/**
 * Amazon Web Services. Every AWS service words an authorization refusal the same way, in the
 * Query APIs' XML (`<Code>AccessDenied</Code><Message>…`), the JSON protocols
 * (`{"__type":"…AccessDeniedException","Message":"…"}`) and API Gateway's `{"message":"…"}`:
 *
 *   User: ARN is not authorized to perform: ACTION on resource: "RESOURCE" because no TYPE policy allows the ACTION action
 *   User: ARN is not authorized to perform: ACTION on resource: "RESOURCE" with an explicit deny in a TYPE policy
 *
 * TYPE is identity-based, resource-based, session, permissions boundary, service control,
 * resource control or VPC endpoint (older answers end at "with an explicit deny"). Some
 * operations (EC2's `UnauthorizedOperation`) add an "Encoded authorization failure message" that
 * only `aws sts decode-authorization-message` opens. API Gateway's Lambda authorizers answer
 * "User is not authorized to access this resource[ with an explicit deny]".
 */

const S3_403 =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples';
const IAM_ACCESS_DENIED = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html';
const DECODE = 'https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html';
const AUTHORIZER_403 = 'https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer';
const APIGW_403 = 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden';

const DENIED =
  /User: (\S+) is not authorized to perform: (\S+) on resource: "?([^"\s]+)"?(?: (?:with an explicit deny(?: in (?:a|an|the) ([\w\s-]+?) policy)?|because no ([\w\s-]+?) policy allows the \S+ action))?/;
const ENCODED = /Encoded authorization failure message: ([A-Za-z0-9_+/=-]{16,})/;

/** The policy types AWS names, and the kind of rule each is. */
function ruleFor(explicit: boolean, policy: string | undefined): AuthzRule {
  if (policy && /service control|resource control/.test(policy)) return 'tenant-policy';
  if (policy && /VPC endpoint/i.test(policy)) return 'network';
  return explicit ? 'explicit-deny' : 'no-allow';
}

/** The message and where it stood: JSON `message`/`Message`, or the XML `<Message>`. */
function messageOf(input: AuthzInput): AuthzQuote | undefined {
  for (const k of ['message', 'Message']) {
    const m = str(input.bodyJson, k);
    if (m) return { text: m, from: jsonFrom(k) };
  }
  const xml = xmlText(input.body, 'Message');
  if (xml) return { text: xml, from: 'body <Message>' };
  return undefined;
}

/** `arn:aws:sts::123:assumed-role/Role/session` is simulated as the role `arn:aws:iam::123:role/Role`. */
function simulatable(arn: string): string | undefined {
  const role = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  if (role) return `arn:${role[1]}:iam::${role[2]}:role/${role[3]}`;
  return /^arn:aws[\w-]*:iam::\d{12}:(?:user|role|group)\//.test(arn) ? arn : undefined;
}

function platformOf(action: string): string {
  if (action.startsWith('s3:')) return 'Amazon S3';
  if (action.startsWith('execute-api:')) return 'AWS API Gateway';
  return 'AWS IAM';
}

function confirmFor(principal: string, action: string, resource: string, policy: string | undefined): string {
  const account = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
  if (policy && /service control|resource control/.test(policy) && account) {
    const filter = /service control/.test(policy) ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY';
    return `aws organizations list-policies-for-target --target-id ${account} --filter ${filter}`;
  }
  if (policy && /VPC endpoint/i.test(policy))
    return 'aws ec2 describe-vpc-endpoints --query "VpcEndpoints[].[VpcEndpointId,ServiceName,PolicyDocument]"';
  const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(resource)?.[1];
  if (policy && /resource-based/.test(policy) && bucket)
    return `aws s3api get-bucket-policy --bucket ${sh(bucket)}`;
  const source = simulatable(principal);
  if (source)
    return `aws iam simulate-principal-policy --policy-source-arn ${sh(source)} --action-names ${sh(action)} --resource-arns ${sh(resource)}`;
  const api = /^arn:aws[\w-]*:execute-api:([\w-]+):\d{12}:(\w+)\//.exec(resource);
  if (api)
    return `aws apigateway get-rest-api --rest-api-id ${api[2]} --region ${api[1]} --query policy --output text`;
  return `aws iam simulate-custom-policy --action-names ${sh(action)} --resource-arns ${sh(resource)} --policy-input-list file://policy.json`;
}

function denied(input: AuthzInput, q: AuthzQuote): AuthzDecision | undefined {
  const m = DENIED.exec(q.text);
  if (!m) return undefined;
  const [, principal, action, rawResource, denyPolicy, allowPolicy] = m as unknown as [
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  // A message that ends at the resource ends with a full stop that is not part of the ARN.
  const resource = rawResource.replace(/\.$/, '');
  const explicit = /with an explicit deny/.test(m[0]);
  const policy = (denyPolicy ?? allowPolicy)?.trim();
  const rule = ruleFor(explicit, policy);
  const platform = platformOf(action);
  const quotes: AuthzQuote[] = [q];
  const type = header(input, 'x-amzn-errortype');
  if (type) quotes.push({ text: type, from: 'header x-amzn-errortype' });
  const encoded = ENCODED.exec(q.text)?.[1];
  const confirm = encoded
    ? `aws sts decode-authorization-message --encoded-message ${encoded} --query DecodedMessage --output text`
    : confirmFor(principal, action, resource, policy);
  const anonymous = principal === 'anonymous';
  const fix = anonymous
    ? 'The request was not signed, so AWS judged it as `anonymous`: sign it with SigV4 credentials the policy allows, or change the resource policy (its source IP, VPC endpoint and account conditions) and redeploy the stage.'
    : rule === 'tenant-policy'
      ? `An organization policy (${policy}) of the account's AWS Organization refuses \`${action}\`: its administrator must change that policy; no IAM policy in the account can override it.`
      : rule === 'network'
        ? `The VPC endpoint's policy does not let \`${action}\` through to \`${resource}\`: change the endpoint policy, or call from outside that endpoint.`
        : explicit
          ? `A Deny statement${policy ? ` in a ${policy} policy` : ''} matches \`${action}\` on \`${resource}\` for \`${principal}\`; an Allow cannot override it: find that statement (its conditions too) and change it, or use another principal.`
          : `Add an Allow for \`${action}\` on \`${resource}\` to ${policy ? `the ${policy} policy` : 'a policy'} of \`${principal}\`${policy === 'resource-based' ? '' : " (or to the resource's policy, for a cross-account call)"}.`;
  const d: AuthzDecision = {
    platform,
    principal,
    action,
    resource,
    rule,
    quotes,
    confirm,
    fix,
    source: platform === 'Amazon S3' ? S3_403 : encoded ? DECODE : IAM_ACCESS_DENIED,
  };
  if (policy) d.policy = policy;
  return d;
}

/** EC2-style: "You are not authorized to perform this operation. Encoded authorization failure message: …". */
function encodedOnly(q: AuthzQuote): AuthzDecision | undefined {
  const encoded = ENCODED.exec(q.text)?.[1];
  if (!encoded) return undefined;
  return {
    platform: 'AWS IAM',
    // The answer hides whether a Deny or the lack of an Allow refused it; the decoded message says.
    rule: 'no-allow',
    quotes: [{ text: q.text.replace(encoded, `${encoded.slice(0, 24)}…`), from: q.from }],
    confirm: `aws sts decode-authorization-message --encoded-message ${encoded} --query DecodedMessage --output text`,
    fix: 'Decode the message (it names the principal, the action, the resource, whether a Deny matched and the condition values), then add the missing Allow or change the matching Deny.',
    source: DECODE,
  };
}

/** API Gateway's Lambda authorizer: the policy it returned denies (explicitly) or does not cover this call. */
function authorizer(input: AuthzInput, q: AuthzQuote): AuthzDecision | undefined {
  const m = /^User is not authorized to access this resource( with an explicit deny)?$/.exec(q.text);
  if (!m) return undefined;
  const host = urlOf(input)?.hostname ?? '';
  const api = /^(\w+)\.execute-api\.([\w-]+)\.amazonaws\.com$/.exec(host);
  const path = urlOf(input)?.pathname ?? '/';
  const quotes: AuthzQuote[] = [q];
  const type = header(input, 'x-amzn-errortype');
  if (type) quotes.push({ text: type, from: 'header x-amzn-errortype' });
  return {
    platform: 'AWS API Gateway (Lambda authorizer)',
    resource: path,
    action: 'execute-api:Invoke',
    rule: m[1] ? 'explicit-deny' : 'no-allow',
    quotes,
    confirm: api
      ? `aws apigateway get-authorizers --rest-api-id ${api[1]} --region ${api[2]}, then read the authorizer function's CloudWatch logs for this request`
      : "the Lambda authorizer's CloudWatch logs for this request (aws logs tail /aws/lambda/AUTHORIZER --since 15m)",
    fix: m[1]
      ? 'The authorizer returned a policy with `"Effect": "Deny"` for this identity: find why in its logs (the token was read; the decision was Deny).'
      : "The authorizer's policy does not cover this method and path: return a resource ARN that covers it (a wildcard such as `arn:aws:execute-api:…/*/*` when results are cached, since a cached policy serves every path), or turn authorizer caching off.",
    source: m[1] ? AUTHORIZER_403 : APIGW_403,
  };
}

export function readAws(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403 && input.status !== 401) return undefined;
  const q = messageOf(input);
  if (!q) return undefined;
  return denied(input, q) ?? authorizer(input, q) ?? encodedOnly(q);
}
