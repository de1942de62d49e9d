import { fingerprint } from '../core/fingerprint.js';
import { Redactor } from '../core/redact.js';
import { collectSecrets } from '../core/secrets.js';
import { VERSION } from '../core/version.js';
import { SanitizeContext, sanitizeHeaderValue } from '../har/sanitize.js';
import { sanitizeBody, sanitizeUrl, scrubText } from '../har/sanitize-text.js';
import { sanitizeCookieValue } from '../har/sanitize-cookies.js';
import { sanitizeCredential } from '../har/sanitize-values.js';
import type { Evidence } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { UsageError } from './errors.js';
import { writeFileOrSay } from './io.js';
import { readInput } from './io.js';

/**
 * `--save-evidence FILE` and `--from FILE`: the evidence of one run as a JSON file, safe to keep
 * or attach to a bug report, that gives the same diagnosis when read back.
 *
 * Secrets go the way `why401 har --sanitize` takes them (the same code): a JWT keeps its header
 * and claims and loses its signature (the token.* and jwt.* checks read the claims; the
 * signature's verdict was recorded when it was checked), Basic keeps its user name, an
 * Authorization header its scheme and layout, cookies their names. Then every secret a report
 * would redact (core/secrets.ts `collectSecrets`) that is still anywhere in the file is replaced
 * by the fingerprint a report shows for it.
 */

/** The format of the file: bumped when a reader of an older one would misread a newer one. */
export const EVIDENCE_FILE_VERSION = 1;

interface EvidenceFile extends Evidence {
  version: number;
  savedBy: string;
}

/** The redactor's secrets, as a list (the Redactor keeps its own private). */
class SecretList extends Redactor {
  readonly list: string[] = [];
  override add(secret: string | undefined): void {
    super.add(secret);
    const s = secret?.trim();
    if (s && !this.list.includes(s)) this.list.push(s);
  }
}

const URL_KEYS = new Set(['url', 'proxy', 'tokenEndpoint', 'jwksUrl']);

function isHeaderList(v: unknown): v is HeaderList {
  return (
    Array.isArray(v) &&
    v.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')
  );
}

function contentType(headers: unknown): string | undefined {
  if (!isHeaderList(headers)) return undefined;
  return headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
}

/** Every string of the evidence, sanitized by where it stands. */
function walk(v: unknown, ctx: SanitizeContext, key = '', parent?: Record<string, unknown>): unknown {
  if (typeof v === 'string') {
    if (URL_KEYS.has(key)) return scrubText(sanitizeUrl(v, ctx), ctx);
    if (key === 'body') return sanitizeBody(v, contentType(parent?.headers), ctx);
    if (key === 'accessToken' || key === 'refreshToken') return sanitizeCredential(v, 'token', ctx);
    // A CA bundle is public, and long: nothing in it is a secret.
    if (key === 'pem') return v;
    return scrubText(v, ctx);
  }
  if (key === 'headers' && isHeaderList(v)) return v.map(([n, x]) => [n, sanitizeHeaderValue(n, x, ctx)]);
  if (key === 'cookieJar' && Array.isArray(v))
    return v.map((c: Record<string, unknown>) =>
      typeof c.value === 'string'
        ? { ...c, value: sanitizeCookieValue(String(c.name ?? ''), c.value, ctx) }
        : c,
    );
  if (Array.isArray(v)) return v.map((x) => walk(x, ctx, key, parent));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // Headers first: the secrets they hold are then known when the body and the URL are read.
    const keys = Object.keys(o).sort((a, b) => Number(b === 'headers') - Number(a === 'headers'));
    for (const k of keys) out[k] = walk(o[k], ctx, k, o);
    const ordered: Record<string, unknown> = {};
    for (const k of Object.keys(o)) ordered[k] = out[k];
    return ordered;
  }
  return v;
}

/** The evidence with its secrets replaced (see above). Pure: the input is not modified. */
export function sanitizeEvidence(ev: Evidence): Evidence {
  const ctx = new SanitizeContext();
  // Two passes, as for a HAR: the first learns every secret, so an echo of a token in a body
  // read before the header that carries it is replaced too.
  ctx.counting = false;
  walk(ev, ctx);
  ctx.counting = true;
  let text = JSON.stringify(walk(ev, ctx));
  const secrets = new SecretList();
  collectSecrets(ev, secrets);
  for (const s of secrets.list.sort((a, b) => b.length - a.length)) {
    // In JSON text a secret is written escaped; 4 characters or fewer stand whole only.
    const written = JSON.stringify(s).slice(1, -1);
    if (written.length >= 4 && text.includes(written))
      text = text.split(written).join(JSON.stringify(fingerprint(s)).slice(1, -1));
  }
  return JSON.parse(text) as Evidence;
}

/** Writes `--save-evidence FILE` (owner-only: it still names hosts, users and claims), with a note on stderr. */
export function saveEvidence(path: string, ev: Evidence): void {
  const file: EvidenceFile = {
    version: EVIDENCE_FILE_VERSION,
    savedBy: `why401 ${VERSION}`,
    ...sanitizeEvidence(ev),
  };
  writeFileOrSay(path, `${JSON.stringify(file, null, 2)}\n`, 0o600, 'the evidence file');
  process.stderr.write(
    `why401: wrote the evidence to ${path} (secrets replaced; read it back with --from ${path})\n`,
  );
}

/** What a JSON file is, when it is not evidence: said in the error, with the command that reads it. */
function otherKind(v: Record<string, unknown>, path: string): string | undefined {
  const tool = v.tool as { name?: unknown } | undefined;
  if (tool?.name === 'why401' && Array.isArray(v.findings) && v.target)
    return `${path} is a why401 report (--json), not saved evidence: write evidence with --save-evidence FILE`;
  if (v.log && typeof v.log === 'object')
    return `${path} is a HAR file, not saved evidence: read it with why401 har ${path}`;
  if (tool?.name === 'why401' || v.report)
    return `${path} is why401 output, not saved evidence: write evidence with --save-evidence FILE`;
  return undefined;
}

/** Reads `--from FILE`: evidence written by --save-evidence (or built by hand in the same shape). */
export function loadEvidence(path: string): Evidence {
  let v: unknown;
  try {
    v = JSON.parse(readInput(path, 'evidence file'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`evidence file ${path} is not valid JSON: write evidence with --save-evidence FILE`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new UsageError(
      `evidence file ${path} is not why401 evidence: write evidence with --save-evidence FILE`,
    );
  const o = v as Record<string, unknown>;
  const other = otherKind(o, path);
  if (other) throw new UsageError(other);
  if (typeof o.version === 'number' && o.version > EVIDENCE_FILE_VERSION)
    throw new UsageError(
      `evidence file ${path} is version ${o.version}, written by ${String(o.savedBy ?? 'a newer why401')}; this why401 ${VERSION} reads version ${EVIDENCE_FILE_VERSION}`,
    );
  const ev = o as unknown as Evidence & Partial<EvidenceFile>;
  if (
    !ev.request ||
    typeof ev.request !== 'object' ||
    !Array.isArray(ev.exchanges) ||
    typeof ev.now !== 'number'
  )
    throw new UsageError(`evidence file ${path} is not why401 evidence (no request, exchanges or now)`);
  delete ev.version;
  delete ev.savedBy;
  ev.skippedProbes ??= [];
  ev.inputWarnings ??= [];
  ev.expect ??= {};
  return ev;
}
