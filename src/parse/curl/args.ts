/**
 * curl's arguments, already split into words, walked as curl's option parser walks them
 * (src/tool_getparam.c): long flags, `--no-` switches, clusters of short flags, `--` and URLs.
 * Each flag is applied by apply.ts; build.ts then makes the request. Platform-neutral.
 */
import { applyFlag } from './apply.js';
import { build } from './build.js';
import { emptyCollected, readersFor, type Collected } from './collected.js';
import { CURL_FLAGS_BY_LONG as BY_LONG, CURL_FLAGS_BY_SHORT as BY_SHORT } from './flags.js';
import type { CurlParse, CurlParseOptions } from './types.js';

/** Already-split arguments (argv after `curl`, or the direct `why401 <url> -H …` form). */
export function parseCurlArgs(args: string[], options: CurlParseOptions = {}): CurlParse {
  const warnings: string[] = [];
  const readers = readersFor(options, warnings);
  const c: Collected = emptyCollected();

  let flagsEnded = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (flagsEnded || !arg.startsWith('-') || arg === '-') {
      c.urls.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsEnded = true; // curl's end of options: what follows is URLs, even if it starts with -
      continue;
    }
    const valueAfter = (name: string): string | undefined => {
      if (i + 1 < args.length) {
        i += 1;
        return args[i];
      }
      warnings.push(`${name} needs a value: ignored`);
      return undefined;
    };
    let stop = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      let negated = false;
      let f = BY_LONG.get(name);
      if (!f && name.startsWith('no-') && BY_LONG.get(name.slice(3))?.takesValue === false) {
        // curl's --no-FLAG switches a boolean flag off again.
        negated = true;
        name = name.slice(3);
        f = BY_LONG.get(name);
      }
      if (!f && name.startsWith('expand-') && BY_LONG.get(name.slice(7))?.takesValue) {
        warnings.push(`--${name}: {{variable}} expansion is not done (see --variable)`);
        name = name.slice(7);
        f = BY_LONG.get(name);
      }
      if (!f) {
        warnings.push(`unknown curl flag ${arg} ignored`);
        continue;
      }
      let value: string | undefined;
      if (f.takesValue) {
        value = eq < 0 ? valueAfter(`--${f.long}`) : arg.slice(eq + 1);
        if (value === undefined) continue;
      } else if (eq >= 0) {
        warnings.push(`--${f.long} takes no value: "${arg.slice(eq + 1)}" ignored`);
      }
      stop = applyFlag(f, value, negated, c, warnings, readers);
    } else {
      // A cluster of short flags (-sSL); a flag that takes a value takes the rest of the
      // cluster (-XPOST) or, when nothing is left, the next argument.
      for (let j = 1; j < arg.length && !stop; j += 1) {
        const letter = arg.charAt(j);
        const f = BY_SHORT.get(letter);
        if (!f) {
          warnings.push(`unknown curl flag -${letter} ignored`);
          continue;
        }
        if (!f.takesValue) {
          stop = applyFlag(f, undefined, false, c, warnings, readers);
          continue;
        }
        const value = j + 1 < arg.length ? arg.slice(j + 1) : valueAfter(`-${letter}`);
        if (value !== undefined) stop = applyFlag(f, value, false, c, warnings, readers);
        break;
      }
    }
    if (stop) break;
  }
  const request = build(c, warnings, readers, options);
  return { request, warnings: dedupe(warnings) };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
