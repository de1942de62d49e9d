import { isCredentialHeader } from '../knowledge/credential-rule.js';
import { Redactor } from '../core/redact.js';
import { addCredential, addFromHeaders } from '../core/secrets.js';
import { VERSION } from '../core/version.js';
import type { HeaderList } from '../model/http.js';
import { evaluate, failed } from '../audit/audit.js';
import { DocumentError, loadDocument } from '../audit/document.js';
import { pathOperation } from '../audit/openapi.js';
import { renderAuditHtml } from '../audit/render/html.js';
import { renderAuditJson } from '../audit/render/json.js';
import { renderAuditJunit } from '../audit/render/junit.js';
import { renderAuditMarkdown } from '../audit/render/markdown.js';
import { renderAuditSarif } from '../audit/render/sarif.js';
import { renderAuditText } from '../audit/render/text.js';
import { runAudit } from '../audit/run.js';
import type { ApiDescription, AuditReport } from '../audit/types.js';
import { EXIT, UsageError } from './errors.js';
import { readInput } from './io.js';
import { unknownOption } from './suggest.js';

/**
 * `why401 audit <base-url>`: every operation of an OpenAPI document (or each --path) called the
 * ways a client would, and the auth layer's answers scored against RFC 9110, 6750, 9457 and 9728.
 * Progress on stderr; the report on stdout; exit 1 when a finding above info or a score below
 * --fail-under says the auth layer needs work.
 */

interface AuditArgs {
  base: string;
  openapi?: string;
  token?: string;
  tokenLow?: string;
  paths: string[];
  failUnder?: number;
  format: (typeof FORMATS)[number];
  allowUnsafe: boolean;
  headers: HeaderList;
  insecure: boolean;
  allowPrivateFetch: boolean;
}

const VALUED = ['openapi', 'token', 'token-low', 'path', 'fail-under', 'format', 'header'];
const FLAGS = ['allow-unsafe', 'insecure', 'allow-private-fetch'];
const FORMATS = ['text', 'json', 'markdown', 'html', 'junit', 'sarif'] as const;

/** `--token @file` reads the token from a file (kept off the command line and shell history). */
function secretArg(v: string, what: string): string {
  return v.startsWith('@') ? readInput(v.slice(1), what).trim() : v;
}

export function parseAuditArgs(argv: string[]): AuditArgs {
  const positional: string[] = [];
  const a: Omit<AuditArgs, 'base'> = {
    paths: [],
    format: 'text',
    allowUnsafe: false,
    headers: [],
    insecure: false,
    allowPrivateFetch: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (!t.startsWith('--') || t === '--') {
      if (t !== '--') positional.push(t);
      continue;
    }
    const eq = t.indexOf('=');
    const name = t.slice(2, eq > 0 ? eq : undefined);
    if (FLAGS.includes(name)) {
      if (name === 'allow-unsafe') a.allowUnsafe = true;
      else if (name === 'insecure') a.insecure = true;
      else a.allowPrivateFetch = true;
      continue;
    }
    if (!VALUED.includes(name))
      throw unknownOption(name, [...VALUED, ...FLAGS], '(why401 audit --help lists them)');
    const value = eq > 0 ? t.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    switch (name) {
      case 'openapi':
        a.openapi = value;
        break;
      case 'token':
        a.token = secretArg(value, '--token');
        break;
      case 'token-low':
        a.tokenLow = secretArg(value, '--token-low');
        break;
      case 'path':
        if (!pathOperation(value))
          throw new UsageError(`--path ${value}: write it METHOD:/path, as GET:/v1/items`);
        a.paths.push(value);
        break;
      case 'fail-under': {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 100)
          throw new UsageError(`--fail-under ${value}: a score from 0 to 100`);
        a.failUnder = n;
        break;
      }
      case 'format':
        if (!(FORMATS as readonly string[]).includes(value))
          throw new UsageError(`--format ${value}: one of ${FORMATS.join(', ')}`);
        a.format = value as AuditArgs['format'];
        break;
      case 'header': {
        const colon = value.indexOf(':');
        if (colon <= 0)
          throw new UsageError(`--header ${JSON.stringify(value.split(':')[0])}: write it 'Name: value'`);
        const headerName = value.slice(0, colon).trim();
        // Every probe but the preflight carries --header: a credential there would make the
        // "no credentials" request carry one, and every finding about it would be wrong.
        if (isCredentialHeader(headerName))
          throw new UsageError(
            `--header ${headerName}: a credential goes in --token (and --token-low), which each probe uses or leaves out as it needs`,
          );
        a.headers.push([headerName, value.slice(colon + 1).trim()]);
        break;
      }
    }
  }
  if (positional.length !== 1)
    throw new UsageError(
      'usage: why401 audit <base-url> [--openapi FILE|URL] [--path METHOD:/path …] (why401 audit --help)',
    );
  const base = positional[0]!;
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new UsageError(
      `${base} is not an absolute URL (give the API's base, as https://api.example.com/v1)`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`${base}: only http and https URLs are audited`);
  if (!a.openapi && a.paths.length === 0)
    throw new UsageError('nothing to audit: give --openapi FILE|URL, or one --path METHOD:/path or more');
  return { base: `${u.origin}${u.pathname.replace(/\/+$/, '')}`, ...a };
}

/** A document's server path (`/v1`, or Swagger's basePath) goes under a base URL given as a bare origin. */
function baseWithServerPath(base: string, d: ApiDescription, notes: string[]): string {
  if (new URL(base).pathname !== '/' || !d.servers[0]) return base;
  let path: string;
  try {
    path = new URL(d.servers[0], 'http://x').pathname.replace(/\/+$/, '');
  } catch {
    return base;
  }
  if (!path || path === '/' || path.includes('{')) return base;
  notes.push(
    `the document's server path ${path} was added to the base URL (give the full base URL to choose another)`,
  );
  return `${base.replace(/\/+$/, '')}${path}`;
}

function progress(done: number, total: number): void {
  if (process.stderr.isTTY)
    process.stderr.write(`\rwhy401 audit: ${done}/${total} requests${done === total ? '\n' : ''}`);
}

export async function runAuditCommand(argv: string[]): Promise<number> {
  const a = parseAuditArgs(argv);
  const redactor = new Redactor();
  for (const t of [a.token, a.tokenLow]) if (t) addCredential(redactor, t);
  addFromHeaders(redactor, a.headers);
  const userAgent = `why401/${VERSION} (audit)`;
  const notes: string[] = [];
  const startedAt = new Date();
  let description: ApiDescription;
  if (a.openapi) {
    try {
      description = await loadDocument(a.openapi, {
        readFile: (p) => readInput(p, 'the OpenAPI document'),
        userAgent,
        insecure: a.insecure,
      });
    } catch (e) {
      if (e instanceof DocumentError) throw new UsageError(redactor.text(e.message));
      throw e;
    }
    if (a.paths.length) {
      const wanted = new Set(
        a.paths.map((p) => {
          const o = pathOperation(p)!;
          return `${o.method} ${o.path}`;
        }),
      );
      description.operations = description.operations.filter((o) => wanted.has(`${o.method} ${o.path}`));
      if (description.operations.length === 0)
        throw new UsageError(`none of the --path operations is in ${a.openapi}`);
    }
    for (const ref of description.unresolvedRefs)
      notes.push(`external $ref not followed (never fetched): ${ref}`);
  } else {
    description = {
      servers: [],
      schemes: {},
      operations: a.paths.map((p) => pathOperation(p)!),
      unresolvedRefs: [],
    };
  }
  const base = a.openapi ? baseWithServerPath(a.base, description, notes) : a.base;
  const unsafe = description.operations.filter((o) => !['GET', 'HEAD', 'OPTIONS'].includes(o.method)).length;
  if (unsafe && !a.allowUnsafe)
    notes.push(
      `${unsafe} operation${unsafe === 1 ? '' : 's'} with an unsafe method ${unsafe === 1 ? 'was' : 'were'} not called (--allow-unsafe calls them with an empty or minimal body)`,
    );
  process.stderr.write(
    `why401 audit: ${description.operations.length} operations of ${base}, at most 8 requests at a time\n`,
  );

  const run = await runAudit({
    baseUrl: base,
    description,
    ...(a.token ? { token: a.token } : {}),
    ...(a.tokenLow ? { tokenLow: a.tokenLow } : {}),
    headers: a.headers,
    allowUnsafe: a.allowUnsafe,
    userAgent,
    insecure: a.insecure,
    allowPrivateFetch: a.allowPrivateFetch,
    onProgress: progress,
  });
  for (const r of run.refusals) notes.push(r);
  const all = run.evidence.operations.flatMap((op) => Object.values(op.exchanges));
  if (all.length > 0 && all.every((ex) => ex?.status === undefined)) {
    process.stderr.write(
      `why401: ${redactor.text(`cannot reach ${base}: ${all[0]?.error ?? 'no answer'}`)}\n`,
    );
    return EXIT.unreachable;
  }
  const report: AuditReport = redactor.deep(
    evaluate(run.evidence, {
      version: VERSION,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      ...(a.openapi ? { documentSource: a.openapi } : {}),
      requests: run.requests,
      maxInFlight: run.maxInFlight,
      notes,
    }),
  );
  const color = a.format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR;
  // Every format renders the same redacted report: no renderer sees a token.
  const render: Record<AuditArgs['format'], (r: AuditReport) => string> = {
    text: (r) => renderAuditText(r, { color, width: process.stdout.columns || 80 }),
    json: renderAuditJson,
    markdown: renderAuditMarkdown,
    html: renderAuditHtml,
    junit: renderAuditJunit,
    sarif: renderAuditSarif,
  };
  process.stdout.write(render[a.format](report));
  return failed(report, a.failUnder) ? EXIT.diagnosed : EXIT.ok;
}
