/**
 * RFC 9457 problem details: `application/problem+json` with the standard members `type`, `title`,
 * `status`, `detail`, `instance` (§3.1) and any extension members (§3.2).
 */
import { STATUS_TEXT } from '../model/status-text.js';

export interface ProblemOptions {
  status: number;
  /** A URI naming the problem type; default `about:blank` (RFC 9457 §4.2.1). */
  type?: string;
  /** Short summary; with `about:blank` it is the status phrase ("SHOULD be the same as the recommended HTTP status phrase", §4.2.1). */
  title?: string;
  /** This occurrence, in words for a person (§3.1.4). */
  detail?: string;
  /** A URI for this occurrence (§3.1.5). */
  instance?: string;
  /** Extension members (§3.2); they never replace a standard member. */
  extensions?: Readonly<Record<string, unknown>>;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface Problem {
  status: number;
  /** `Content-Type: application/problem+json` (RFC 9457 §3). */
  headers: Record<string, string>;
  body: ProblemDocument;
}

const STANDARD = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** A problem details document and its Content-Type. */
export function problem(opts: ProblemOptions): Problem {
  if (!Number.isInteger(opts.status) || opts.status < 400 || opts.status > 599)
    throw new TypeError(`problem: status must be a 4xx or 5xx code, got ${JSON.stringify(opts.status)}`);
  const body: ProblemDocument = {
    type: opts.type ?? 'about:blank',
    title: opts.title ?? STATUS_TEXT[opts.status] ?? 'Error',
    status: opts.status,
  };
  if (opts.detail !== undefined) body.detail = opts.detail;
  if (opts.instance !== undefined) body.instance = opts.instance;
  for (const [k, v] of Object.entries(opts.extensions ?? {}))
    if (!STANDARD.has(k) && v !== undefined) body[k] = v;
  return { status: opts.status, headers: { 'Content-Type': 'application/problem+json' }, body };
}
