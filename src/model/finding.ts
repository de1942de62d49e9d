export type FindingKind = 'cause' | 'warning' | 'info';
export type Confidence = 'confirmed' | 'likely' | 'possible';
/** The article's diagnostic step 1–5; 0 for the developer checklist and context. */
export type Step = 0 | 1 | 2 | 3 | 4 | 5;

export interface EvidenceItem {
  /** Which probe showed it (`main`, `anonymous`, `input`, `clock`, …). */
  probe: string;
  /** Where in that probe: `request.header.authorization`, `response.header.www-authenticate`, `token.exp`, … */
  where: string;
  value: string;
}

export interface Finding {
  id: string;
  kind: FindingKind;
  step: Step;
  confidence: Confidence;
  title: string;
  /** The cause in plain words, for someone who has never heard of a bearer token (the guide, the page). */
  plain?: string;
  detail?: string;
  fix: string;
  evidence: EvidenceItem[];
  /** A repaired request proved this cause: what was changed, and what the server answered then. */
  verified?: Verification;
  /** For a cause that is not the diagnosis: why it ranks below the first one, in one sentence. */
  whyLower?: string;
  /** The generic causes this one explains, folded into it (their evidence kept, not listed again). */
  absorbed?: string[];
}

export interface Verification {
  /** The probe that sent the repaired request (`repair-1` …). */
  probe: string;
  /** What was changed, in words. */
  change: string;
  status: number;
  statusText: string;
  /** The corrected request as a curl command, secrets redacted like every other output. */
  command: string;
}
