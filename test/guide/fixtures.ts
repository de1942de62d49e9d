import { analyze } from '../../src/core/analyze.js';
import type { GuideStep } from '../../src/guide/index.js';
import type { Report } from '../../src/model/report.js';
import { ev, NOW, type EvInput } from '../support/evidence.js';

/** Reports made by the real pipeline: evidence as the probes gather it, then analyze(). */
export function report(i: EvInput): Report {
  return analyze(ev(i));
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An RS256-shaped JWT (not verified here: the guide reads claims only). */
export function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return `${b64url({ alg: 'RS256', typ: 'at+jwt', kid: 'k1', ...header })}.${b64url(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

export const SEC = Math.floor(NOW / 1000);
/** The server's Date at NOW. */
export const DATE = new Date(NOW).toUTCString();

export const CLAIMS = {
  iss: 'https://login.example.com/',
  sub: 'alice',
  aud: 'https://api.example.com',
  client_id: 'web-app',
  scope: 'read',
  iat: SEC - 7200,
};

/** One line per check: its result and its finding (or its text when it has none). */
export function summary(step: GuideStep | undefined): string[] {
  return (step?.checks ?? []).map((c) => `${c.result} ${c.causeId ?? c.text}`);
}
