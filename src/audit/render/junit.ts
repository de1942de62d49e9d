import { RULES } from '../rules/index.js';
import type { AuditFinding, AuditReport } from '../types.js';
import { xml } from './xml.js';

/**
 * The report as JUnit XML, the test report every CI system reads (GitLab's `artifacts:reports:junit`,
 * Jenkins, Azure Pipelines): a <testsuite> per category, a <testcase> per rule × operation (one per
 * rule for the rules that judge the whole API), a <failure> for each place an error or warning
 * finding was seen, with its title, evidence, fix and citation. Info findings inform and fail
 * nothing (as the exit code), so they pass with their evidence in <system-out>. An operation the
 * audit did not call, and a rule with nothing to judge, are <skipped>. A passing case means no
 * finding there: the rule passed or had nothing to judge on that operation.
 * Element and attribute names follow the schema GitLab and Jenkins read
 * (https://github.com/testmoapp/junitxml). A pure function of the (already redacted) report.
 */

const SCOPE = new Map(RULES.map((r) => [r.meta.id, r.scope]));

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  out?: string;
}

function details(f: AuditFinding, evidence: string[]): string {
  return [
    ...evidence,
    '',
    `Why: ${f.description}`,
    ...f.fixes.map((x) => `Fix (${x.server}): ${x.fix}`),
    `See: ${f.cites.map((c) => `${c.spec} ${c.section} <${c.url}>`).join('; ')}`,
  ].join('\n');
}

function caseXml(c: Case): string {
  const open = `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="0"`;
  if (c.failure)
    return `${open}>\n      <failure message="${xml(c.failure.message)}" type="${xml(c.failure.type)}">${xml(c.failure.body)}</failure>\n    </testcase>`;
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
  if (c.out) return `${open}>\n      <system-out>${xml(c.out)}</system-out>\n    </testcase>`;
  return `${open}/>`;
}

export function renderAuditJunit(r: AuditReport): string {
  const byRule = new Map(r.findings.map((f) => [f.id, f]));
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const category of r.categories) {
    const cases: Case[] = [];
    for (const rule of r.rules.filter((x) => x.category === category.id)) {
      const f = byRule.get(rule.id);
      const classname = `why401.audit.${category.id}`;
      const one = (operation: string | undefined, skip?: string): Case => {
        const name = operation ? `${rule.id} ${operation}` : rule.id;
        if (skip !== undefined) return { name, classname, skipped: skip };
        const item = f?.items.find((i) => i.operation === operation);
        if (!f || !item) return { name, classname };
        if (f.severity === 'info') return { name, classname, out: details(f, item.evidence) };
        return {
          name,
          classname,
          failure: { message: f.title, type: f.id, body: details(f, item.evidence) },
        };
      };
      if (SCOPE.get(rule.id) === 'api') {
        cases.push(one(undefined, rule.notApplicable));
        continue;
      }
      for (const op of r.operations) cases.push(one(op.operation, op.skipped ?? rule.notApplicable));
    }
    const f = cases.filter((c) => c.failure).length;
    const s = cases.filter((c) => c.skipped !== undefined).length;
    tests += cases.length;
    failures += f;
    skipped += s;
    suites.push(
      `  <testsuite name="${xml(category.title)}" id="${xml(category.id)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}" time="0" timestamp="${xml(r.startedAt.replace(/Z$/, ''))}">\n` +
        `    <properties>\n      <property name="score" value="${category.score ?? 'not judged'}"/>\n    </properties>\n` +
        cases.map(caseXml).join('\n') +
        '\n  </testsuite>',
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xml(`why401 audit of ${r.target}: ${r.score}/100`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
