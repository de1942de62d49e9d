import { CURL_FLAGS, CURL_OTHER_FLAGS, lookupCurlFlag } from '../parse/curl/index.js';
import { nearest, unknownOption } from './suggest.js';

/**
 * Every long name curl takes (curl 8.x, from the parser's table), and `no-X` for its switches
 * (curl reads `--no-location` as "not -L"), without the names why401 itself owns in the direct
 * form (`--json` is ours there: it is no typo of a curl flag).
 */
export function curlLongNames(own: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of [...CURL_FLAGS, ...CURL_OTHER_FLAGS]) {
    if (own.includes(f.long)) continue;
    out.add(f.long);
    if (!f.takesValue) out.add(`no-${f.long}`);
  }
  return out;
}

/**
 * The direct form (`why401 [options] <url> [curl flags…]`) checked before anything is sent. Our
 * options go before the URL, curl's anywhere; an unknown `--name`
 * - close to one of ours (2 edits or fewer) and not close to any curl flag is our option mistyped:
 *   a usage error, wherever it stands;
 * - before the URL, where only options stand, is a usage error too (the nearest name suggested);
 * - after the URL belongs to curl: the curl parser warns that it was ignored, as curl's own
 *   unknown flags always were. A curl flag after the URL is never taken for one of ours.
 */
export function checkDirectFlags(
  argv: readonly string[],
  own: readonly { name: string; takesValue: boolean }[],
): void {
  const lookupCurl = lookupCurlFlag;
  const ownNames = own.map((f) => f.name);
  const curlNames = curlLongNames(ownNames);
  let sawUrl = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const mine = own.find((f) => f.name === name);
      const curl = mine
        ? undefined
        : (lookupCurl(`--${name}`) ?? (curlNames.has(name) ? { takesValue: false } : undefined));
      if (mine || curl) {
        if ((mine ?? curl)!.takesValue && eq < 0) i++;
        continue;
      }
      const nearOurs = nearest(name, ownNames).length > 0;
      const nearCurl = nearest(name, [...curlNames]).length > 0;
      if (nearOurs && !nearCurl) throw unknownOption(name, ownNames);
      if (!sawUrl)
        throw unknownOption(
          name,
          [...ownNames, ...curlNames],
          "(not one of why401's options, nor a curl flag: see why401 --help)",
        );
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        if (lookupCurl(`-${arg.charAt(j)}`)?.takesValue) {
          if (j === arg.length - 1) i++;
          break;
        }
      }
      continue;
    }
    sawUrl = true;
  }
}
