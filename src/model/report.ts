import type { Finding } from './finding.js';
import type { HeaderList } from './http.js';

export type Outcome = 'unauthorized' | 'forbidden' | 'ok' | 'login-required' | 'unreachable' | 'error';

export interface ProbeRecord {
  name: string;
  hop: number;
  method: string;
  url: string;
  status: number | null;
  ms: number;
  error?: string;
  requestHeaders: Record<string, string | string[]>;
  responseHeaders: Record<string, string[]>;
  droppedHeaders?: string[];
  /** Served from why401's disk cache: the stored answer's age in seconds; revalidated when a 304 confirmed it. */
  cached?: { age: number; revalidated: boolean };
}

/** What one check made of this request (Lighthouse's audit results). */
export interface CheckResult {
  id: string;
  status: 'found' | 'clear' | 'not-applicable' | 'error';
  /** Why not applicable ("no token was sent"), why clear when the evidence ruled it out, or the error. */
  reason?: string;
}

/** A repaired request that was sent: the fix, tried. */
export interface RepairRecord {
  probe: string;
  /** The causes whose checks proposed it. */
  causes: string[];
  change: string;
  method: string;
  url: string;
  /** The final status, or null when it got no answer. */
  status: number | null;
  /** True when it succeeded (2xx, or 304) where the user's request was refused. */
  succeeded: boolean;
}

/** The `--json` contract (shared/spec/report.md, schema/report.json). */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'why401'; version: string };
  /** What was diagnosed: a request (flags, a curl paste, a HAR entry) or a token alone (`why401 token`). */
  source: 'flags' | 'curl' | 'har' | 'token';
  target: { method: string; url: string };
  outcome: Outcome;
  status: number | null;
  findings: Finding[];
  probes: ProbeRecord[];
  skippedProbes: { probe: string; reason: string }[];
  /** The repaired requests sent, and what each got. */
  repairs: RepairRecord[];
  /** Every check's status for this request: found, clear, not applicable (why), or error. */
  checks: CheckResult[];
  warnings: string[];
  support: {
    timestamp: string;
    url: string;
    method: string;
    status: number | null;
    requestIds: Record<string, string>;
  };
}

export function headerListToRecord(headers: HeaderList): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [n, v] of headers) (out[n.toLowerCase()] ??= []).push(v);
  return out;
}
