import { matchServerMessages } from '../server-messages.js';
import type { AuthzDecision, AuthzInput } from './types.js';

/**
 * CSRF refusals (Django and DRF, Rails, Laravel, Spring Security) are recognised once, by the
 * server-message entries in server-messages/python.ts and server-messages/csrf.ts; this reader only
 * turns such a match into a decision, with the request that shows it (fetch the page's cookie,
 * send the token back in the framework's header).
 */

const HEADER: Record<string, { cookie: string; header: string }> = {
  django: { cookie: 'csrftoken', header: 'X-CSRFToken' },
  drf: { cookie: 'csrftoken', header: 'X-CSRFToken' },
  rails: { cookie: '(the page\'s <meta name="csrf-token">)', header: 'X-CSRF-Token' },
  laravel: { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' },
  spring: { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' },
};

export function readCsrf(input: AuthzInput): AuthzDecision | undefined {
  const m = matchServerMessages({
    status: input.status,
    challenges: [],
    body: input.body,
    headers: input.headers,
    ...(input.bodyJson !== undefined ? { bodyJson: input.bodyJson } : {}),
  }).find((m) => m.entry.cause === 'authz.csrf-rejected');
  if (!m) return undefined;
  const fw = HEADER[m.entry.id.split('.')[0] ?? ''];
  return {
    platform: m.entry.producer,
    rule: 'csrf',
    quotes: [
      {
        text: m.quote,
        from: m.where === 'header' ? `header ${m.name ?? ''}` : m.name ? `json $.${m.name}` : 'body',
      },
    ],
    confirm: fw
      ? `curl -c jar.txt -b jar.txt ${input.url} (to get the ${fw.cookie} cookie), then the same request with -b jar.txt -H '${fw.header}: <its value>'`
      : "the same request from the site's own page, with the CSRF token it renders",
    fix: 'Send the CSRF token the site pairs with the session, or authenticate with a token instead of a session cookie: no role or scope changes a CSRF refusal.',
    source: m.entry.source,
  };
}
