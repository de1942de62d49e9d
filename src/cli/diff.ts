import type { HarEntry } from '../model/har.js';
import { pickEntries, diffRequests, sideFromRequest } from '../har/diff.js';
import { readHarFile, scanErrorLine, scanErrorWords } from '../har/reader.js';
import { parseCurlCommand } from '../parse/curl/index.js';
import { renderDiffText } from '../render/diff-text.js';
import { Redactor } from '../core/redact.js';
import { commandSecrets } from '../core/argument-secrets.js';
import { collectEntrySecrets } from '../har/secrets.js';
import { EXIT, UsageError } from './errors.js';
import { writeWarnings } from './warnings.js';
import { parseOwn, requestOnly, useColor } from './options.js';

/**
 * `why401 diff GOOD BAD`: the differences that matter for auth between a request that works and
 * one that does not — two HAR files (the first failing entry of BAD against its best match in
 * GOOD), or two pasted curl commands (compared as written, nothing sent).
 */

async function readEntries(path: string): Promise<HarEntry[]> {
  const entries: HarEntry[] = [];
  try {
    // The diff compares headers, cookies, tokens and status: bodies are not needed.
    const r = await readHarFile(path, { maxTextChars: 4096, onEntry: (e: HarEntry) => void entries.push(e) });
    if (r.error && entries.length === 0) throw new UsageError(scanErrorLine(path, r.error));
    if (r.error)
      writeWarnings([
        `${path} ${scanErrorWords(r.error)}: the ${entries.length} entries before it were compared`,
      ]);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0]! : `cannot read ${path}`);
  }
  return entries;
}

export async function runDiff(args: string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('--'));
  const o = parseOwn(args.filter((a) => a.startsWith('--')));
  requestOnly(o, 'diff');
  if (files.length !== 2)
    throw new UsageError('usage: why401 diff GOOD.har BAD.har   (or two quoted curl commands)');
  const [goodArg, badArg] = files as [string, string];
  const isCurl = (s: string) => /^\s*curl\s/.test(s);
  let items: ReturnType<typeof diffRequests>;
  let text: string;
  // Diff items carry fingerprints already; the redactor still hides any secret of either side
  // (by the credential rule) that a value shown as it is might hold, and anything JWT-shaped.
  const redactor = new Redactor(!o.showSecrets);
  if (isCurl(goodArg) && isCurl(badArg)) {
    const now = Date.now();
    for (const secret of [...commandSecrets(goodArg), ...commandSecrets(badArg)]) redactor.add(secret);
    const good = sideFromRequest(parseCurlCommand(goodArg).request, undefined, now);
    const bad = sideFromRequest(parseCurlCommand(badArg).request, undefined, now);
    items = diffRequests(good, bad, { now });
    text = renderDiffText(items, { color: useColor(o, process.stdout), good, bad });
  } else if (!isCurl(goodArg) && !isCurl(badArg)) {
    const [goodEntries, badEntries] = await Promise.all([readEntries(goodArg), readEntries(badArg)]);
    const r = pickEntries({ log: { entries: goodEntries } }, { log: { entries: badEntries } });
    if (!r.ok) throw new UsageError(r.reason);
    collectEntrySecrets(goodEntries[r.goodIndex]!, redactor);
    collectEntrySecrets(badEntries[r.badIndex]!, redactor);
    items = diffRequests(r.good, r.bad);
    text = renderDiffText(items, {
      color: useColor(o, process.stdout),
      good: r.good,
      bad: r.bad,
      match: r.match,
    });
  } else {
    throw new UsageError('compare two HAR files or two curl commands, not one of each');
  }
  process.stdout.write(
    redactor.text(o.json ? `${JSON.stringify({ schemaVersion: 1, differences: items }, null, 2)}\n` : text),
  );
  return items.length ? EXIT.diagnosed : EXIT.ok;
}
