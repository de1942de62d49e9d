import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/check.js';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import type { Finding } from '../../src/model/finding.js';
import { ev, type EvInput } from './evidence.js';

export interface ValidCase {
  name: string;
  input: EvInput;
}
export interface InvalidCase {
  name: string;
  input: EvInput;
  /** Fields every finding of this case must have (at least one finding is required). */
  expect: Partial<Omit<Finding, 'evidence'>> & {
    /** Substrings that must appear in the title or detail. */
    mentions?: string[];
    /** Evidence items that must be present (matched on the given fields). */
    evidence?: Array<Partial<Finding['evidence'][number]>>;
    /** How many findings (default: at least one). */
    count?: number;
  };
}

/**
 * The check tester, like ESLint's RuleTester: a check without both valid and invalid cases is
 * refused, so every rule is shown to fire and shown to stay quiet.
 */
export function testCheck(check: Check, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`check ${check.meta.id}`, () => {
    it('has valid and invalid cases and complete metadata', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      expect(check.meta.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(check.meta.title.length).toBeGreaterThan(5);
      expect(check.meta.fix.length).toBeGreaterThan(5);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        expect(check.run(deriveFacts(ev(c.input)))).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = check.run(deriveFacts(ev(c.input))).map((d) => toFinding(check.meta, d));
        if (c.expect.count !== undefined) expect(found).toHaveLength(c.expect.count);
        else expect(found.length).toBeGreaterThan(0);
        const { mentions, evidence, count: _count, ...fields } = c.expect;
        for (const f of found) {
          expect(f).toMatchObject(fields);
          for (const m of mentions ?? []) expect(`${f.title}\n${f.detail ?? ''}`).toContain(m);
          for (const e of evidence ?? []) expect(f.evidence).toContainEqual(expect.objectContaining(e));
          expect(f.evidence.length).toBeGreaterThan(0);
        }
      });
    }
  });
}
