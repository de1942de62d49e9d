import { RULES } from '../rules/index.js';
import type { AuditFinding, AuditReport, Severity } from '../types.js';

/**
 * The report as SARIF 2.1.0, for code-scanning pages (GitHub's `upload-sarif`, GitLab, Azure
 * DevOps). What the standard requires is here: `version`, `runs`, each run's `tool.driver.name`,
 * each result's `message` (SARIF 2.1.0 §3.13, §3.14, §3.19, §3.27,
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). Each rule that ran is a
 * reportingDescriptor with its title, its reason and the RFC it cites; each place a finding was
 * seen is a result. Its location is the OpenAPI document when the audit read one (code scanning
 * accepts only files of the repository as locations), with a logicalLocation naming the
 * operation; with --path alone, the URL called. A pure function of the (already redacted) report.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** GitHub ranks security alerts by this property (0.0–10.0): high, medium, low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '7.5', warning: '5.0', info: '2.0' };

const META = new Map(RULES.map((r) => [r.meta.id, r.meta]));

/**
 * A document given as a relative path stays relative (code scanning resolves it against the
 * checkout); a URL stays a URL; an absolute path becomes a file: URI (RFC 8089).
 */
function documentUri(source: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return source;
  const slashed = source.replace(/\\/g, '/');
  if (/^[a-z]:\//i.test(slashed)) return `file:///${encodeURI(slashed)}`;
  if (slashed.startsWith('/')) return `file://${encodeURI(slashed)}`;
  return encodeURI(slashed.replace(/^\.\//, ''));
}

function cites(f: Pick<AuditFinding, 'cites'>): string {
  return f.cites.map((c) => `${c.spec} ${c.section} (${c.url})`).join('; ');
}

export function renderAuditSarif(r: AuditReport): string {
  const ruleIds = r.rules.map((x) => x.id);
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const m = META.get(id);
    const f = r.findings.find((x) => x.id === id);
    const meta = m ?? f;
    if (!meta) return { id };
    return {
      id,
      name: id,
      shortDescription: { text: meta.title },
      fullDescription: { text: `${meta.description} See ${cites(meta)}.` },
      ...(meta.cites[0] ? { helpUri: meta.cites[0].url } : {}),
      help: {
        text: meta.fixes.map((x) => `Fix (${x.server}): ${x.fix}`).join('\n'),
      },
      defaultConfiguration: { level: LEVEL[meta.severity] },
      properties: {
        category: meta.category,
        tags: ['security', 'auth', meta.category],
        'security-severity': SECURITY_SEVERITY[meta.severity],
      },
    };
  });
  const urlOf = new Map(r.operations.map((o) => [o.operation, o.url]));
  const results = r.findings.flatMap((f) =>
    f.items.map((item) => {
      const uri = r.document
        ? documentUri(r.document.source)
        : item.operation
          ? (urlOf.get(item.operation) ?? r.target)
          : r.target;
      return {
        ruleId: f.id,
        ...(index.has(f.id) ? { ruleIndex: index.get(f.id) } : {}),
        level: LEVEL[f.severity],
        message: {
          text: `${f.title}${item.operation ? ` (${item.operation})` : ''}: ${item.evidence.join('; ')}. Fix: ${f.fixes[0]?.fix ?? 'see the rule'}`,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              ...(r.document ? { region: { startLine: 1 } } : {}),
            },
            logicalLocations: [
              item.operation
                ? { name: item.operation, fullyQualifiedName: item.operation }
                : { name: r.target, fullyQualifiedName: r.target },
            ],
          },
        ],
        properties: { category: f.category, cost: f.cost },
      };
    }),
  );
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'why401',
            version: r.version,
            informationUri: 'https://www.npmjs.com/package/why401',
            rules,
          },
        },
        automationDetails: { id: `why401/audit/${r.target}/` },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: r.startedAt,
            endTimeUtc: new Date(Date.parse(r.startedAt) + r.durationMs).toISOString(),
          },
        ],
        results,
        properties: {
          target: r.target,
          score: r.score,
          categories: r.categories,
          notes: r.notes,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
