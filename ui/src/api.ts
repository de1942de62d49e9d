import type { Report } from '../../src/model/report.js';

/**
 * The local server's API (docs/UI.md): JSON POSTs that carry the launch secret in `X-Why401-Key`.
 * The secret is the `key` query parameter of the page's own URL, read once when the page loads.
 */

const KEY = new URLSearchParams(location.search).get('key') ?? '';

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
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Why401-Key': KEY },
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
  if (typeof obj.error === 'string' && obj.error) throw new ApiError(oneLine(obj.error));
  if (res.status === 403 && !KEY)
    throw new ApiError('This page was opened without its key: open the address `why401 ui` printed.');
  throw new ApiError(`The why401 ui server answered ${res.status} without a report.`);
}

export function diagnoseRequest(body: DiagnoseBody): Promise<Report> {
  return post('/api/diagnose', body);
}

export function inspectToken(body: TokenBody): Promise<Report> {
  return post('/api/token', body);
}
