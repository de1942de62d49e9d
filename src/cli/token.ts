import { exitCodeOf } from '../core/exit-code.js';
import { cleanToken, inspectToken, type InspectTokenOptions } from '../diagnose/token.js';
import { renderHtml } from '../render/html.js';
import { render } from './render-report.js';
import { UsageError } from './errors.js';
import { readInput, writeHtmlReport } from './io.js';
import { parseOwn, requestOptions, type OwnOptions } from './options.js';
import { splitOwnFlags } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';

/**
 * `why401 token <jwt|@file|->`: the token read (an argument, a file, standard input) and handed to
 * the library's inspectToken (src/diagnose/token.ts), which decodes, judges and verifies it.
 */

function readToken(arg: string): string {
  const raw =
    arg === '-'
      ? readInput('-', 'standard input')
      : arg.startsWith('@')
        ? readInput(arg.slice(1), 'token file')
        : arg;
  return cleanToken(raw);
}

export async function runToken(args: string[]): Promise<number> {
  const { own, positional } = splitOwnFlags(args, OWN_FLAGS);
  if (positional.length === 0) throw new UsageError('no token given: why401 token <jwt|@file|->');
  if (positional.length > 1)
    throw new UsageError(`one token at a time (got ${positional.length} arguments; an unknown option?)`);
  const tokenArg = positional[0]!;
  const o = parseOwn(own);
  const report = await inspectToken(readToken(tokenArg), { ...tokenOptions(o), env: process.env });
  process.stdout.write(render(report, o));
  if (o.html !== undefined) writeHtmlReport(o.html, renderHtml(report));
  return exitCodeOf(report);
}

/** What the flags say about a token's inspection, as the library takes it. */
export function tokenOptions(o: OwnOptions): InspectTokenOptions {
  const t: InspectTokenOptions = { offline: o.offline ?? false, expect: requestOptions(o).expect ?? {} };
  if (o.showSecrets) t.showSecrets = true;
  if (o.issuer) t.issuer = o.issuer;
  if (o.introspectUrl) t.introspectUrl = o.introspectUrl;
  if (o.clientId) t.clientId = o.clientId;
  if (o.clientSecret) t.clientSecret = o.clientSecret;
  return t;
}
