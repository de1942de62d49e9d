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
  detail?: string;
  fix: string;
  evidence: EvidenceItem[];
}
