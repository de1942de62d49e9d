import type { ServerMessageEntry } from '../server-messages.js';

/**
 * HashiCorp Vault's HTTP API. Every refusal is `{"errors": [...]}` with 403 (api-docs, "HTTP
 * Status Codes": "403 - Forbidden. Your request was a valid request, but you don't have
 * permission … also returned for an invalid or missing token"). Since Vault 1.17 a token Vault
 * does not know (revoked, past its TTL, not a Vault token) adds "invalid token" before
 * "permission denied" (hashicorp/vault#26687, docs/concepts/tokens.mdx "Error Responses"); a
 * valid token whose policies do not allow the path gets "permission denied" alone, which is also
 * what a request without any token gets: the same words for anyone.
 */

const API_DOCS = 'https://developer.hashicorp.com/vault/api-docs#http-status-codes';
const TOKEN_DOCS = 'hashicorp/vault:website/content/docs/concepts/tokens.mdx (#26687, "Error Responses")';
const VAULT = 'HashiCorp Vault';
/** Vault's errors array: `{"errors":["invalid token","permission denied"]}`. */
const ERRORS = /^errors\[\d+\]$/;

/** The path a Vault policy names: the URL's path after /v1/ (KV v2 data is under <mount>/data/…). */
function policyPath(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\/v1\//, '').replace(/\/$/, '') || '<path>';
  } catch {
    return '<path>';
  }
}

export const VAULT_MESSAGES: readonly ServerMessageEntry[] = [
  {
    id: 'vault.invalid-token',
    producer: VAULT,
    match: { status: [403], body: /^invalid token$/, bodyPath: ERRORS },
    cause: 'credentials.rejected',
    meaning:
      'Vault does not know this token: it was revoked, its TTL ran out, or it is not a Vault token (a token of another cluster or namespace, a wrapping token).',
    source: TOKEN_DOCS,
    fix: () =>
      'Log in again for a new token (`vault login` with your auth method) and send it as `X-Vault-Token` (or `Authorization: Bearer`); `vault token lookup` shows whether a token is alive and its TTL.',
  },
  {
    id: 'vault.permission-denied',
    producer: VAULT,
    // Vault's multierror wraps it in some versions: "1 error occurred:\n\t* permission denied\n\n".
    match: {
      status: [403],
      body: /^(?:\d+ errors? occurred:\s*\*\s*)?permission denied\s*$/,
      bodyPath: ERRORS,
    },
    cause: 'authz.forbidden',
    sameForAnyone: true,
    meaning:
      "Vault answers this when the token's policies do not grant this capability on this path, and also to a request with no token, or (before Vault 1.17) an expired or revoked one: the words alone do not tell which.",
    source: API_DOCS,
    fix: (url) =>
      `Check the token first, then what it may do here: \`vault token lookup\` (an error means the token is dead: log in again), then \`vault token capabilities ${policyPath(url)}\`. The token's policy needs the capability for this method on that path (\`read\` for GET, \`create\`/\`update\` for POST and PUT, \`list\` for LIST, \`delete\` for DELETE); for KV version 2, policies name \`<mount>/data/<path>\`, not the path the CLI shows.`,
  },
];
