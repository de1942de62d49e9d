import { ownFlagTokens } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';

export type Mode =
  | 'help'
  | 'version'
  | 'demo'
  | 'curl'
  | 'token'
  | 'echo'
  | 'har'
  | 'diff'
  | 'ui'
  | 'guide'
  | 'audit'
  | 'direct';

export interface Route {
  mode: Mode;
  /** why401's own flags, for the option parser. */
  own: string[];
  /** Everything else: curl's arguments (direct and curl forms) or the subcommand's operands. */
  rest: string[];
}

const SUBCOMMANDS = new Set(['demo', 'curl', 'token', 'echo', 'har', 'diff', 'ui', 'guide', 'audit', 'help']);

/**
 * Decides the command before any heavy module loads, so `why401 --help` stays fast. Own flags
 * may come before the subcommand; in the curl form nothing after `curl` is ours.
 */
export function route(argv: string[]): Route {
  const own: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '-h' || t === '--help') return { mode: 'help', own, rest: [] };
    if (t === '--version') return { mode: 'version', own, rest: [] };
    const n = ownFlagTokens(argv, i, OWN_FLAGS);
    if (n > 0) {
      own.push(...argv.slice(i, i + n));
      i += n - 1;
      continue;
    }
    if (SUBCOMMANDS.has(t)) {
      const rest = argv.slice(i + 1);
      if (t === 'help') {
        // `why401 help echo`: echo and ui print their own help.
        if (rest[0] === 'echo' || rest[0] === 'ui') return { mode: rest[0], own: [], rest: ['--help'] };
        return { mode: 'help', own, rest: rest.slice(0, 1) };
      }
      // `why401 har --help` and the like: that command's own help, with examples (rest names it).
      // In the curl form only a lone --help is ours: -h and --help inside a paste are curl's.
      // echo and ui print theirs themselves.
      const askHelp = (a: string) => a === '-h' || a === '--help';
      if (
        t === 'curl'
          ? rest.length === 1 && askHelp(rest[0]!)
          : !['echo', 'ui'].includes(t) && rest.some(askHelp)
      )
        return { mode: 'help', own, rest: [t] };
      if (t === 'curl') return { mode: 'curl', own, rest };
      if (t === 'token') return { mode: 'token', own: [], rest: [...own, ...rest] };
      if (t === 'echo') return { mode: 'echo', own: [], rest: [...own, ...rest] };
      if (t === 'har' || t === 'diff' || t === 'ui' || t === 'guide' || t === 'audit')
        return { mode: t, own: [], rest: [...own, ...rest] };
      // demo takes our own flags after it too (why401 demo --serve --json).
      return { mode: 'demo', own: [...own, ...rest], rest: [] };
    }
    break;
  }
  return { mode: 'direct', own: [], rest: argv };
}
