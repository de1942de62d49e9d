// The flag table alone, not the folder's index.js: route.ts decides the command through this
// module before any heavy import (`why401 --help` stays fast), and the whole parser (paste
// readers, cookie jar, SigV4) took route.ts's import from about 7 ms to about 70 ms.
import { lookupCurlFlag } from '../parse/curl/flags.js';

/**
 * The one splitter of why401's command line into its own options and the rest (curl's arguments,
 * a subcommand's operands). Every command reads argv through here, so an own option is recognised
 * the same way everywhere: exactly `--name` or `--name=value`, and a value given apart is the next
 * token, whatever it looks like. The options themselves are parsed later, by parseOwn (options.ts).
 *
 * This is CLI knowledge, so it lives in the CLI and not in the platform-neutral curl parser; it
 * reads curl's flag table only to know which curl flags take the next token.
 */

/** What the splitter needs of an option: its name (`json`, or `--json`) and whether it takes a value. */
export interface FlagShape {
  name: string;
  takesValue: boolean;
}

/** The own option a token names (`--name` or `--name=value`), or undefined. */
export function ownFlagOf<F extends FlagShape>(token: string, flags: readonly F[]): F | undefined {
  if (!token.startsWith('--')) return undefined;
  const name = token.slice(2).split('=')[0];
  return flags.find((f) => f.name.replace(/^-+/, '') === name);
}

/**
 * How many tokens the own option at `argv[i]` spans: 0 when it is not one of ours, 2 when it
 * takes its value from the next token (and there is one), else 1.
 */
export function ownFlagTokens(argv: readonly string[], i: number, flags: readonly FlagShape[]): 0 | 1 | 2 {
  const token = argv[i];
  const f = token === undefined ? undefined : ownFlagOf(token, flags);
  if (!f) return 0;
  return f.takesValue && !token!.includes('=') && i + 1 < argv.length ? 2 : 1;
}

/** The own options at the front (`why401 [options] <command> …`), up to the first token that is not one. */
export function leadingOwnFlags(
  argv: readonly string[],
  flags: readonly FlagShape[],
): { own: string[]; rest: string[] } {
  let i = 0;
  for (let n = ownFlagTokens(argv, i, flags); n > 0; n = ownFlagTokens(argv, i, flags)) i += n;
  return { own: argv.slice(0, i), rest: argv.slice(i) };
}

/** Own options anywhere among a subcommand's operands (`why401 har FILE --json`), apart from the operands. */
export function splitOwnFlags(
  argv: readonly string[],
  flags: readonly FlagShape[],
): { own: string[]; positional: string[] } {
  const own: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length;) {
    const n = ownFlagTokens(argv, i, flags);
    if (n === 0) positional.push(argv[i++]!);
    else {
      own.push(...argv.slice(i, i + n));
      i += n;
    }
  }
  return { own, positional };
}

/**
 * The direct form (`why401 [options] <url> [curl flags…]`): argv split between why401's own
 * options and curl's. Left to right: a token that is one of ours goes to `own`, with the next
 * token when it takes a value; a curl flag that takes a value goes to `curl` together with the
 * next token, which is not looked at (so `-H --json` stays curl's); everything else goes to
 * `curl`. `--` ends why401's options: all that follows is curl's.
 */
export function splitWhy401Args(
  argv: readonly string[],
  ownFlags: readonly FlagShape[],
): { own: string[]; curl: string[] } {
  const own: string[] = [];
  const curl: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      curl.push(...argv.slice(i + 1));
      break;
    }
    const mine = ownFlagTokens(argv, i, ownFlags);
    if (mine > 0) {
      own.push(...argv.slice(i, i + mine));
      i += mine - 1;
      continue;
    }
    curl.push(arg);
    if (curlFlagWantsNext(arg) && i + 1 < argv.length) {
      i += 1;
      curl.push(argv[i]!);
    }
  }
  return { own, curl };
}

/** Does this curl token take its value from the next one (`--header`, `-H`, `-sH`; not `-HA:1`)? */
function curlFlagWantsNext(arg: string): boolean {
  if (arg.startsWith('--')) return !arg.includes('=') && lookupCurlFlag(arg)?.takesValue === true;
  if (!arg.startsWith('-') || arg.length < 2) return false;
  for (let j = 1; j < arg.length; j += 1) {
    if (lookupCurlFlag(`-${arg.charAt(j)}`)?.takesValue) return j === arg.length - 1;
  }
  return false;
}
