import { at, header, jsonFrom, sh, str } from './read.js';
import type { AuthzDecision, AuthzInput, AuthzQuote } from './types.js';

/**
 * Google Cloud's APIs answer with the google.rpc.Status shape (AIP-193): `error.code` 403,
 * `error.status` "PERMISSION_DENIED", and `error.details[]` holding a `google.rpc.ErrorInfo` whose
 * `reason` says which rule refused: `IAM_PERMISSION_DENIED` with `metadata.permission` and
 * `metadata.resource` (no allow policy grants it, or a deny policy removes it),
 * `ACCESS_TOKEN_SCOPE_INSUFFICIENT` (the OAuth token lacks a scope), `SECURITY_POLICY_VIOLATED`
 * (a VPC Service Controls perimeter).
 */

const IAM_ERRORS = 'https://cloud.google.com/iam/docs/permission-error-messages';
const AIP_193 = 'https://google.aip.dev/193';
const VPC_SC = 'https://cloud.google.com/vpc-service-controls/docs/troubleshooting';

interface ErrorInfo {
  index: number;
  reason: string;
  metadata: Record<string, string>;
}

function errorInfo(j: unknown): ErrorInfo | undefined {
  const details = at(j, 'error', 'details');
  if (!Array.isArray(details)) return undefined;
  for (let i = 0; i < details.length; i++) {
    const d: unknown = details[i];
    if (str(d, '@type') !== 'type.googleapis.com/google.rpc.ErrorInfo') continue;
    const reason = str(d, 'reason');
    if (!reason) continue;
    const meta = at(d, 'metadata');
    const metadata: Record<string, string> = {};
    if (meta && typeof meta === 'object')
      for (const [k, v] of Object.entries(meta as Record<string, unknown>))
        if (typeof v === 'string') metadata[k] = v;
    return { index: i, reason, metadata };
  }
  return undefined;
}

export function readGoogle(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403) return undefined;
  const j = input.bodyJson;
  if (str(j, 'error', 'status') !== 'PERMISSION_DENIED') return undefined;
  const message = str(j, 'error', 'message');
  const info = errorInfo(j);
  const quotes: AuthzQuote[] = [];
  if (message) quotes.push({ text: message, from: jsonFrom('error', 'message') });
  if (info) quotes.push({ text: info.reason, from: jsonFrom('error', 'details', info.index, 'reason') });

  if (
    info?.reason === 'IAM_PERMISSION_DENIED' ||
    (!info && message && /^Permission '[^']+' denied/.test(message))
  ) {
    const fromMessage = message ? /^Permission '([^']+)' denied on resource '([^']+)'/.exec(message) : null;
    const permission = info?.metadata['permission'] ?? fromMessage?.[1];
    const resource = info?.metadata['resource'] ?? fromMessage?.[2];
    if (info?.metadata['permission'])
      quotes.push({
        text: info.metadata['permission'],
        from: jsonFrom('error', 'details', info.index, 'metadata', 'permission'),
      });
    const d: AuthzDecision = {
      platform: 'Google Cloud IAM',
      rule: 'no-allow',
      quotes,
      confirm: `gcloud policy-intelligence troubleshoot-policy iam ${sh(resource ?? 'RESOURCE')} --principal-email=PRINCIPAL_EMAIL --permission=${sh(permission ?? 'PERMISSION')}`,
      fix: `Grant a role that contains \`${permission ?? 'the permission'}\` to the caller on ${resource ? `\`${resource}\`` : 'the resource'} (or a parent: project, folder, organization), and check that no IAM deny policy removes it. Google answers the same when the resource does not exist.`,
      source: IAM_ERRORS,
    };
    if (permission) d.action = permission;
    if (resource) d.resource = resource;
    return d;
  }
  if (info?.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
    const challenge = header(input, 'www-authenticate');
    const scope = challenge ? /scope="([^"]*)"/.exec(challenge)?.[1] : undefined;
    if (challenge) quotes.push({ text: challenge, from: 'header www-authenticate' });
    const d: AuthzDecision = {
      platform: 'Google Cloud APIs',
      rule: 'missing-scope',
      quotes,
      confirm: scope
        ? `gcloud auth application-default login --scopes=${scope.split(/\s+/).join(',')}`
        : "https://www.googleapis.com/oauth2/v3/tokeninfo?access_token=… (the token's `scope`)",
      fix: `Get a token with ${scope ? `the scope \`${scope}\`` : 'the OAuth scope this API needs'} (a VM's service account scopes, or the scopes your client requests); IAM roles do not replace OAuth scopes.`,
      source: AIP_193,
    };
    const method = info.metadata['method'];
    if (method) d.action = method;
    if (info.metadata['service']) d.resource = info.metadata['service'];
    return d;
  }
  if (
    info?.reason === 'SECURITY_POLICY_VIOLATED' ||
    (message && /Request is prohibited by organization's policy/.test(message))
  ) {
    const uid =
      info?.metadata['uid'] ??
      (message ? /vpcServiceControlsUniqueIdentifier: (\S+)/.exec(message)?.[1] : undefined);
    const d: AuthzDecision = {
      platform: 'Google Cloud VPC Service Controls',
      rule: 'network',
      quotes,
      confirm: `Google Cloud console → Security → VPC Service Controls → Troubleshoot, with the unique identifier ${uid ?? 'from the message'}`,
      fix: "A service perimeter refuses this call from where it comes (network, project or identity outside the perimeter): call from inside it, or ask the perimeter's owner for an ingress rule or access level.",
      source: VPC_SC,
    };
    if (info?.metadata['service']) d.resource = info.metadata['service'];
    return d;
  }
  return undefined;
}
