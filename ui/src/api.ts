import type { Report } from '../../src/model/report.js';

/**
 * The local server's API (docs/UI.md): JSON POSTs that carry the launch key in `X-Why401-Key`.
 *
 * The key is never in the page's URL (a URL handed to the browser opener is on a command line
 * every local user can read; see src/ui-server/tickets.ts). The link `why401 ui` prints or opens
 * carries a one-time ticket in its fragment, `#ticket=T`: the page trades it for the key as soon
 * as it loads, takes it out of the address bar, and keeps the key in sessionStorage (this tab,
 * this origin) so that a reload still works.
 */

const STORE = 'why401-key';

/** Why the page has no key, when the ticket was refused (already used, expired). */
let keyProblem: string | undefined;

function stored(): string {
  try {
    return sessionStorage.getItem(STORE) ?? '';
  } catch {
    return ''; // storage turned off: the key lives as long as the page
  }
}

async function obtainKey(): Promise<string> {
  const ticket = new URLSearchParams(location.hash.slice(1)).get('ticket');
  if (!ticket) return stored();
  // Out of the address bar (and of what a bookmark or a shared screen shows) before anything else.
  history.replaceState(history.state, '', location.pathname + location.search);
  try {
    const res = await fetch('/api/key', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket }),
      credentials: 'omit',
      cache: 'no-store',
    });
    const data = (await res.json().catch(() => ({}))) as { key?: unknown; error?: unknown };
    if (res.ok && typeof data.key === 'string') {
      try {
        sessionStorage.setItem(STORE, data.key);
      } catch {
        // kept in memory only
      }
      return data.key;
    }
    keyProblem = typeof data.error === 'string' ? data.error : `the server answered ${res.status}`;
  } catch {
    keyProblem = 'the why401 ui server did not answer';
  }
  // A reload of a link already traded in this tab: the key it got then still works.
  const previous = stored();
  if (previous) keyProblem = undefined;
  return previous;
}

/** Started when the page loads, so that the ticket is spent at once, not at the first request. */
const KEY: Promise<string> = obtainKey();

export interface DiagnoseBody {
  input: string;
  method?: string;
  expectIssuer?: string;
  expectAudience?: string;
  expectScope?: string[];
  allowReplay?: boolean;
}

export interface TokenBody {
  token: string;
  offline?: boolean;
}

/** A refusal or a failure, as one line for the person. */
export class ApiError extends Error {}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

async function post(path: string, body: unknown): Promise<Report> {
  const key = await KEY;
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Why401-Key': key },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('The why401 ui server did not answer. Is `why401 ui` still running in your terminal?');
  }
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  const obj = (data ?? {}) as { report?: Report; error?: unknown };
  if (res.ok && obj.report) return obj.report;
  if (res.status === 403 && !key)
    throw new ApiError(
      keyProblem
        ? `This page has no key: ${oneLine(keyProblem)}.`
        : 'This page has no key: open a link `why401 ui` printed (each link opens the page once).',
    );
  if (typeof obj.error === 'string' && obj.error) throw new ApiError(oneLine(obj.error));
  throw new ApiError(`The why401 ui server answered ${res.status} without a report.`);
}

export function diagnoseRequest(body: DiagnoseBody): Promise<Report> {
  return post('/api/diagnose', body);
}

export function inspectToken(body: TokenBody): Promise<Report> {
  return post('/api/token', body);
}
