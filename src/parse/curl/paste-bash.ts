/**
 * A pasted bash (or sh, zsh) text read as bash reads it, up to its curl command: prompts and
 * comments, `\`-newline continuations, quotes ('…', "…", $'…'), `$VAR` and `${VAR}` from the
 * environment or from assignments earlier in the paste, field splitting of unquoted expansions,
 * redirections (`< file`, `<<< word`, `<<EOF`, `<<-EOF`, `<<'EOF'`; output ones skipped), and
 * the operators that end a command. Command substitutions (`$(…)`, backticks, `<(…)`) are never
 * run: each becomes a marker (see PasteContext). Reference: the bash manual, "Shell Syntax" and
 * "Shell Expansions" (https://www.gnu.org/software/bash/manual/bash.html#Shell-Syntax).
 *
 * Platform-neutral: no node: imports.
 */
import {
  CommandsBefore,
  BASH_PROMPT,
  failure,
  isCurlWord,
  lineOf,
  programAt,
  promptAt,
  shorten,
  type PasteContext,
  type ShellCommand,
  type ShellReading,
  type Stdin,
  unterminated,
} from './paste-shell.js';

type Piece =
  /** Text as written; `q` (quoted or escaped) text is never split into fields. */
  | { t: 'lit'; s: string; q: boolean }
  /** `$NAME`, `${NAME}`, `${NAME:-word}` …; `src` is how it was written (kept when it is not set). */
  | { t: 'var'; name: string; src: string; q: boolean; op?: string; arg?: Piece[] }
  /** `$(…)`, backticks, `<(…)`: never run. */
  | { t: 'sub'; src: string; q: boolean };

interface Word {
  pieces: Piece[];
  raw: string;
}

interface Heredoc {
  delim: string;
  quoted: boolean;
  strip: boolean;
  stdin: Extract<Stdin, { kind: 'text' }>;
  used: Set<string>;
}

/** A variable set earlier in the paste, with the environment names its value was made from. */
interface Local {
  value: string;
  env: string[];
}

const CONTROL = /\|\||\|&|&&|;;&?|;&|[|&;()]/y;
const REDIRECT = /&>>|&>|<<<|<<-|<<|<>|<&|>>|>&|>\||<|>/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Runs of characters with no meaning to the shell: outside quotes, in ${X:-word}, in "…", in a heredoc. */
const PLAIN = /[^\s|&;()<>\\'"$`]+/y;
const PLAIN_IN_BRACES = /[^\\'"$`<>]+/y;
const DOUBLE_QUOTED = /[^"\\$`\n]+/y;
const HEREDOC_TEXT = /[^\\$`]+/y;
/** Blank lines and blanks before a command (a paste may begin with megabytes of them). */
const BLANKS = /[ \t\r\n]+/y;
const MAX_STEPS = 500_000;
/** An unquoted `{a,b}` or `{1..3}`: bash's brace expansion. */
const BRACES = /\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}/;
const CONTINUATION = /\\[ \t]*\n/y;
const CONTINUATION_PROMPT = /[ \t]*>[ \t]?/y;
/** Blank and comment lines, then the blanks (and a transcript's `> `) before the next line's first word. */
const BLANK_LINES = /(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:>[ \t]+)?/y;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const DECLARE = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

/** Reads `text` up to its curl command, or throws a CurlParseError (sawCurl tells whether it saw one). */
export function readBash(text: string, ctx: PasteContext): ShellReading {
  return new BashReader(text, ctx).read();
}

class BashReader {
  private i = 0;
  private readonly vars = new Map<string, Local>();
  private readonly warnings: string[] = [];
  private readonly pending: Heredoc[] = [];
  /** The paste is a terminal transcript: `$ ` before each command, `> ` before each continued line. */
  private transcript = false;
  private firstLine = true;
  private sawCurl = false;
  private saidLostBackslash = false;
  private saidTrailingSpace = false;
  private steps = 0;

  constructor(
    private readonly s: string,
    private readonly ctx: PasteContext,
  ) {}

  read(): ShellReading {
    const before = new CommandsBefore();
    for (;;) {
      const cmd = this.readCommand();
      if (!cmd) throw failure('the command does not start with curl', false);
      if (cmd.curlAt >= 0) {
        // Heredocs opened after the curl command on its line (`curl -d @- x <<EOF | jq .`) are
        // read at the end of that line: read on to it.
        while (this.pending.length > 0 && this.i < this.s.length) this.readCommand();
        if (this.pending.length > 0) this.readHeredocs();
        this.sayWhatFollows(cmd.next);
        return { before, curl: cmd, curlAt: cmd.curlAt, warnings: this.warnings };
      }
      before.add(cmd);
    }
  }

  /**
   * One more token, quote or line read. A paste is one command, not megabytes of shell: past
   * MAX_STEPS it is refused (a 16 MiB input of short words would otherwise take seconds).
   */
  private step(): void {
    this.steps += 1;
    if (this.steps > MAX_STEPS) {
      throw failure(
        `the paste is too long to be read as a command: why401 reads at most ${MAX_STEPS} words and quotes of it`,
        this.sawCurl,
      );
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  private readCommand(): (ShellCommand & { curlAt: number }) | undefined {
    if (!this.skipToCommand()) return undefined;
    const s = this.s;
    const start = this.i;
    const words: Word[] = [];
    const assigns: Word[] = [];
    const used = new Set<string>();
    let stdin: Stdin | undefined;
    let isCurl = false;
    let programWord = -1;
    let next = '';
    let end = s.length;
    for (;;) {
      this.step();
      this.skipBlanks();
      if (this.i >= s.length) break;
      const c = s.charAt(this.i);
      if (c === '\n') {
        end = this.i;
        this.i += 1;
        if (this.pending.length > 0) this.readHeredocs();
        else if (isCurl && this.flagLineFollows(end)) continue;
        next = '\n';
        break;
      }
      if (c === '#') {
        // A comment (a word cannot start here otherwise: blanks were skipped).
        const nl = s.indexOf('\n', this.i);
        this.i = nl < 0 ? s.length : nl;
        continue;
      }
      // Redirections first: `&>` is one, not `&` then `>`.
      const redirect = this.processSubstitutionAt() ? undefined : this.match(REDIRECT);
      if (redirect !== undefined) {
        stdin = this.readRedirect(redirect, '', used) ?? stdin;
        continue;
      }
      const control = this.match(CONTROL);
      if (control !== undefined) {
        end = this.i;
        this.i += control.length;
        next = control;
        break;
      }
      const word = this.readWord(false);
      const after = this.match(REDIRECT);
      if (after !== undefined && /^\d+$/.test(word.raw) && !this.processSubstitutionAt()) {
        // `2>&1`, `0< file`: the digits are the descriptor, not a word.
        stdin = this.readRedirect(after, word.raw, used) ?? stdin;
        continue;
      }
      if (words.length === 0 && ASSIGNMENT.test(word.raw)) assigns.push(word);
      else {
        words.push(word);
        // Which program runs is known at the first word that is not a prefix (sudo, exec, …).
        if (programWord < 0) {
          const raws = words.map((w) => w.raw);
          const at = programAt(raws);
          if (at < raws.length) {
            programWord = at;
            isCurl = isCurlWord(plain(words[at]!)) || isCurlWord(raws[at]!);
            if (isCurl) this.sawCurl = true;
          }
        }
      }
    }
    if (next === '') end = this.i;
    // `export NAME=value` (and bash's other declaration builtins) assigns as a bare NAME=value does.
    const declared =
      words.length > 1 &&
      DECLARE.has(plain(words[0]!)) &&
      words.slice(1).every((w) => ASSIGNMENT.test(w.raw) || /^-\w+$/.test(w.raw));
    if (declared) {
      assigns.push(...words.slice(1).filter((w) => ASSIGNMENT.test(w.raw)));
      words.length = 0;
    }
    const assignments = this.assign(assigns, words.length === 0);
    const expanded = this.expandWords(words, used);
    const cmd: ShellCommand & { curlAt: number } = {
      words: expanded.fields,
      assignments,
      next,
      shown: s.slice(start, end),
      envUsed: used,
      curlAt: -1,
    };
    if (stdin) cmd.stdin = stdin;
    if (isCurl) {
      cmd.curlAt = expanded.firstFieldOf[programWord] ?? 0;
      // bash's brace expansion is not done: said rather than silently different.
      const braced = words.find((w) => w.pieces.some((p) => p.t === 'lit' && !p.q && BRACES.test(p.s)));
      if (braced) {
        this.warnings.push(
          `${shorten(braced.raw)}: bash would expand the unquoted {…,…} into several words; read as written`,
        );
      }
    }
    return cmd;
  }

  /**
   * Skips blank lines, comments and prompts up to the start of a command; false at the end.
   * The first command line decides whether the paste is a transcript (`$ curl …`): then every
   * command line has a prompt, and a line without one is the output of the command before it.
   */
  private skipToCommand(): boolean {
    const s = this.s;
    for (;;) {
      this.step();
      BLANKS.lastIndex = this.i;
      if (BLANKS.test(s)) this.i = BLANKS.lastIndex;
      if (this.i >= s.length) return false;
      const c = s.charAt(this.i);
      if (c === '#') {
        const nl = s.indexOf('\n', this.i);
        this.i = nl < 0 ? s.length : nl;
        continue;
      }
      const lineStart = s.lastIndexOf('\n', this.i - 1) + 1;
      const atLineStart = s.slice(lineStart, this.i).trim() === '';
      if (atLineStart && (this.firstLine || this.transcript)) {
        const prompt = promptAt(BASH_PROMPT, s, lineStart);
        if (prompt > 0) {
          if (this.firstLine) this.transcript = true;
          this.firstLine = false;
          this.i = lineStart + prompt;
          continue;
        }
        if (this.transcript) {
          // Output printed by the command before: not a command.
          const nl = s.indexOf('\n', this.i);
          this.i = nl < 0 ? s.length : nl;
          continue;
        }
      }
      this.firstLine = false;
      return true;
    }
  }

  /** Spaces, tabs, stray CRs and `\`-newline continuations between words. */
  private skipBlanks(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charAt(this.i);
      if (c === ' ' || c === '\t' || c === '\r') this.i += 1;
      else if (c === '\\' && this.continuation()) continue;
      else break;
    }
  }

  /**
   * A `\` at the end of a line joins the next line to this one. Spaces after the backslash are
   * forgiven (bash would end the command there, but a paste that lost them is more likely) and
   * said. In a transcript the next line's `> ` prompt goes too.
   */
  private continuation(): boolean {
    const re = CONTINUATION;
    re.lastIndex = this.i;
    if (!re.test(this.s)) return false;
    if (this.s.charAt(this.i + 1) !== '\n' && !this.saidTrailingSpace) {
      this.warnings.push(
        `line ${lineOf(this.s, this.i)}: spaces after the trailing backslash (read as a line continuation)`,
      );
      this.saidTrailingSpace = true;
    }
    this.i = re.lastIndex;
    this.skipContinuationPrompt();
    return true;
  }

  private skipContinuationPrompt(): void {
    if (!this.transcript) return;
    const re = CONTINUATION_PROMPT;
    re.lastIndex = this.i;
    if (re.test(this.s)) this.i = re.lastIndex;
  }

  /**
   * bash ends the command at a newline. A curl command whose next line starts with a flag has
   * lost its backslash on the way (or had spaces after it): read on, and say so once.
   */
  private flagLineFollows(newline: number): boolean {
    const rest = BLANK_LINES;
    rest.lastIndex = this.i;
    rest.test(this.s);
    if (this.s.charAt(rest.lastIndex) !== '-') return false;
    if (!this.saidLostBackslash) {
      this.warnings.push(
        `line ${lineOf(this.s, newline)} does not end with a backslash: the flag lines after it are read as part of the command`,
      );
      this.saidLostBackslash = true;
    }
    this.i = rest.lastIndex;
    return true;
  }

  private sayWhatFollows(next: string): void {
    const rest = this.s.slice(this.i);
    if (next === '&') {
      this.warnings.push(
        'an unquoted & ends the command in a shell: everything after it was ignored (put the URL in quotes)',
      );
    } else if (next === '|' || next === '|&') {
      this.warnings.push('stopped at "|": the rest of the pipeline is not part of the curl command');
    } else if (next !== '\n' && next !== '' && next !== ')') {
      this.warnings.push(`only the first command is read: the text after "${next}" is ignored`);
    } else if (rest.trim() !== '') {
      // In a transcript, what follows without a prompt is the command's output.
      const more = !this.transcript || new RegExp(`^(?:${BASH_PROMPT.source})`, 'm').test(rest);
      const first = this.i + rest.search(/\S/);
      if (more)
        this.warnings.push(
          `only the first command is read: the text from line ${lineOf(this.s, first)} on is ignored`,
        );
    }
  }

  // ---- redirections and heredocs ---------------------------------------------------------------

  /** Reads one redirection; returns what it makes standard input hold, if it is an input one. */
  private readRedirect(op: string, fd: string, used: Set<string>): Stdin | undefined {
    this.i += op.length;
    this.skipBlanks();
    const input = fd === '' || fd === '0';
    if (this.i >= this.s.length || /[\n|&;()<>]/.test(this.s.charAt(this.i))) {
      throw failure(`a redirection (${op}) with nothing after it`, this.sawCurl);
    }
    if (op === '<<' || op === '<<-') {
      const word = this.readWord(false);
      const stdin: Extract<Stdin, { kind: 'text' }> = { kind: 'text', text: '', from: `${op}${word.raw}` };
      this.pending.push({
        delim: literal(word),
        quoted: /['"\\]/.test(word.raw),
        strip: op === '<<-',
        stdin,
        used,
      });
      return input ? stdin : undefined;
    }
    const word = this.readWord(false);
    if (!input) return undefined;
    if (op === '<<<') {
      return {
        kind: 'text',
        text: `${this.expandWords([word], used, false).fields.join('')}\n`,
        from: '<<<',
      };
    }
    if (op === '<' || op === '<>') {
      const path = this.expandWords([word], used, false).fields.join('');
      return { kind: 'file', paths: [path], from: `< ${word.raw}` };
    }
    if (op === '<&' && word.raw === '-') return { kind: 'text', text: '', from: '<&-' };
    return undefined;
  }

  /** The bodies of the heredocs opened on the line that just ended, from the line after it. */
  private readHeredocs(): void {
    const s = this.s;
    for (const h of this.pending.splice(0)) {
      const lines: string[] = [];
      let closed = false;
      while (this.i < s.length) {
        const nl = s.indexOf('\n', this.i);
        let line = s.slice(this.i, nl < 0 ? s.length : nl);
        this.i = nl < 0 ? s.length : nl + 1;
        if (this.transcript) line = line.replace(/^[ \t]*>[ \t]?/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) {
          closed = true;
          break;
        }
        lines.push(line);
      }
      if (!closed) {
        this.warnings.push(
          `the here-document ${h.stdin.from} has no closing "${h.delim}" line: it was read to the end of the paste`,
        );
      }
      const body = lines.map((l) => `${l}\n`).join('');
      h.stdin.text = h.quoted ? body : this.expandHeredoc(body, h.used);
    }
  }

  /** An unquoted heredoc's body: `$VAR`, `${…}`, substitutions and `\$ \` \\ \newline` only. */
  private expandHeredoc(body: string, used: Set<string>): string {
    const inner = new BashReader(body, this.ctx);
    for (const [k, v] of this.vars) inner.vars.set(k, v);
    const pieces: Piece[] = [];
    while (inner.i < body.length) {
      HEREDOC_TEXT.lastIndex = inner.i;
      if (HEREDOC_TEXT.test(body)) {
        addLit(pieces, body.slice(inner.i, HEREDOC_TEXT.lastIndex), true);
        inner.i = HEREDOC_TEXT.lastIndex;
        continue;
      }
      const c = body.charAt(inner.i);
      const n = body.charAt(inner.i + 1);
      if (c === '\\' && '$`\\'.includes(n) && n !== '') {
        addLit(pieces, n, true);
        inner.i += 2;
      } else if (c === '\\' && n === '\n') inner.i += 2;
      else if (c === '$') inner.readDollar(pieces, true);
      else if (c === '`') inner.readSubstitution(pieces, true);
      else {
        addLit(pieces, c, true);
        inner.i += 1;
      }
    }
    return inner.expand(pieces, used, false).join('');
  }

  // ---- words -----------------------------------------------------------------------------------

  /** The text `re` (sticky) matches at this.i. test() and a slice: no match array for every word. */
  private match(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    return re.test(this.s) ? this.s.slice(this.i, re.lastIndex) : undefined;
  }

  private processSubstitutionAt(): boolean {
    const c = this.s.charAt(this.i);
    return (c === '<' || c === '>') && this.s.charAt(this.i + 1) === '(';
  }

  /**
   * One word, as written. `whole` reads to the end of the text (the word of `${X:-word}`),
   * blanks and operators included.
   */
  private readWord(whole: boolean): Word {
    const s = this.s;
    const start = this.i;
    const pieces: Piece[] = [];
    const plain = whole ? PLAIN_IN_BRACES : PLAIN;
    while (this.i < s.length) {
      this.step();
      // Ordinary characters a run at a time: a paste may be megabytes long.
      plain.lastIndex = this.i;
      if (plain.test(s)) {
        addLit(pieces, s.slice(this.i, plain.lastIndex), false);
        this.i = plain.lastIndex;
        continue;
      }
      const c = s.charAt(this.i);
      if (
        !whole &&
        (' \t\r\n|&;()'.includes(c) || ((c === '<' || c === '>') && !this.processSubstitutionAt()))
      )
        break;
      if (c === '\\') {
        if (this.continuation()) continue;
        if (this.i + 1 < s.length) addLit(pieces, s.charAt(this.i + 1), true);
        this.i += 2;
      } else if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) throw unterminated(s, this.i, "'", this.sawCurl);
        addLit(pieces, this.unprompt(s.slice(this.i + 1, close)), true);
        this.i = close + 1;
      } else if (c === '"') this.readDouble(pieces);
      else if (c === '$') this.readDollar(pieces, false);
      else if (c === '`' || this.processSubstitutionAt()) this.readSubstitution(pieces, false);
      else {
        addLit(pieces, c, false);
        this.i += 1;
      }
    }
    return { pieces, raw: s.slice(start, this.i) };
  }

  /** In a transcript, a quoted text that runs over lines has the `> ` prompts in it: not part of it. */
  private unprompt(text: string): string {
    return this.transcript ? text.replace(/\n[ \t]*>[ \t]?/g, '\n') : text;
  }

  private readDouble(pieces: Piece[]): void {
    const s = this.s;
    const open = this.i;
    this.i += 1;
    for (;;) {
      this.step();
      if (this.i >= s.length) throw unterminated(s, open, '"', this.sawCurl);
      const c = s.charAt(this.i);
      const n = s.charAt(this.i + 1);
      if (c === '"') {
        this.i += 1;
        addLit(pieces, '', true); // "" is an (empty) word of its own
        return;
      }
      DOUBLE_QUOTED.lastIndex = this.i;
      if (DOUBLE_QUOTED.test(s)) {
        addLit(pieces, s.slice(this.i, DOUBLE_QUOTED.lastIndex), true);
        this.i = DOUBLE_QUOTED.lastIndex;
      } else if (c === '\\' && n === '\n') {
        this.i += 2;
        this.skipContinuationPrompt();
      } else if (c === '\\' && '$`"\\'.includes(n) && n !== '') {
        addLit(pieces, n, true);
        this.i += 2;
      } else if (c === '$') this.readDollar(pieces, true);
      else if (c === '`') this.readSubstitution(pieces, true);
      else if (c === '\n') {
        addLit(pieces, c, true);
        this.i += 1;
        this.skipContinuationPrompt();
      } else {
        addLit(pieces, c, true);
        this.i += 1;
      }
    }
  }

  /** `$'…'`, `$"…"`, `$(…)`, `$((…))`, `${…}`, `$NAME`, or a lone `$`. */
  private readDollar(pieces: Piece[], quoted: boolean): void {
    const s = this.s;
    const start = this.i;
    const n = s.charAt(this.i + 1);
    if (n === "'" && !quoted) {
      this.readAnsiC(pieces);
    } else if (n === '"' && !quoted) {
      this.i += 1; // $"…" is a translatable string: the same as "…"
      this.readDouble(pieces);
    } else if (n === '(') {
      this.readSubstitution(pieces, quoted);
    } else if (n === '{') {
      const end = braceEnd(s, this.i + 1);
      if (end < 0) throw unterminated(s, start, '${', this.sawCurl);
      const src = s.slice(start, end);
      const inner = s.slice(start + 2, end - 1);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+?])([\s\S]*))?$/.exec(inner);
      this.i = end;
      if (!m) {
        addLit(pieces, src, true); // ${#X}, ${X/a/b}, ${1}: kept as written
        return;
      }
      const piece: Piece = { t: 'var', name: m[1]!, src, q: quoted };
      if (m[2] !== undefined) {
        piece.op = m[2];
        const arg = new BashReader(m[3] ?? '', this.ctx);
        arg.transcript = this.transcript;
        const word = arg.readWord(true);
        piece.arg = quoted ? word.pieces.map((p) => ({ ...p, q: true })) : word.pieces;
      }
      pieces.push(piece);
    } else {
      NAME.lastIndex = this.i + 1;
      const name = NAME.exec(s)?.[0];
      if (name === undefined) {
        addLit(pieces, '$', quoted); // `$1`, `$$`, a `$` at the end: literal
        this.i += 1;
        return;
      }
      this.i += 1 + name.length;
      pieces.push({ t: 'var', name, src: `$${name}`, q: quoted });
    }
  }

  /** `$(…)`, `$((…))`, a backtick command, `<(…)` or `>(…)` at this.i: kept, never run. */
  private readSubstitution(pieces: Piece[], quoted: boolean): void {
    const s = this.s;
    const c = s.charAt(this.i);
    const end = substitutionEnd(s, this.i);
    if (end < 0) throw unterminated(s, this.i, c === '`' ? '`' : `${c}(`, this.sawCurl);
    pieces.push({ t: 'sub', src: s.slice(this.i, end), q: quoted });
    this.i = end;
  }

  /** $'…': ANSI-C escapes (bash manual, "ANSI-C Quoting"). */
  private readAnsiC(pieces: Piece[]): void {
    const s = this.s;
    const open = this.i;
    this.i += 2;
    let out = '';
    for (;;) {
      if (this.i >= s.length) throw unterminated(s, open, "$'", this.sawCurl);
      const c = s.charAt(this.i);
      if (c === "'") {
        this.i += 1;
        break;
      }
      if (c !== '\\') {
        out += c;
        this.i += 1;
        continue;
      }
      const e = s.charAt(this.i + 1);
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      const hex = (re: RegExp): string | undefined => {
        re.lastIndex = this.i + 2;
        return re.exec(s)?.[0];
      };
      if (e in simple) {
        out += simple[e];
        this.i += 2;
      } else if (/[0-7]/.test(e)) {
        const digits = /[0-7]{1,3}/y;
        digits.lastIndex = this.i + 1;
        const d = digits.exec(s)![0];
        out += String.fromCharCode(parseInt(d, 8) & 0xff);
        this.i += 1 + d.length;
      } else if (e === 'x' && hex(/[0-9A-Fa-f]{1,2}/y)) {
        const d = hex(/[0-9A-Fa-f]{1,2}/y)!;
        out += String.fromCharCode(parseInt(d, 16));
        this.i += 2 + d.length;
      } else if ((e === 'u' || e === 'U') && hex(e === 'u' ? /[0-9A-Fa-f]{1,4}/y : /[0-9A-Fa-f]{1,8}/y)) {
        const d = hex(e === 'u' ? /[0-9A-Fa-f]{1,4}/y : /[0-9A-Fa-f]{1,8}/y)!;
        const code = parseInt(d, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
        this.i += 2 + d.length;
      } else if (e === 'c' && this.i + 2 < s.length) {
        out += String.fromCharCode(s.charCodeAt(this.i + 2) & 0x1f);
        this.i += 3;
      } else {
        out += c; // an unknown escape keeps its backslash
        this.i += 1;
      }
    }
    addLit(pieces, this.unprompt(out), true);
  }

  // ---- expansion -------------------------------------------------------------------------------

  /** `NAME=value` words: applied (left to right, as bash does) when the command has no other word. */
  private assign(words: Word[], apply: boolean): Array<{ name: string; value: string }> {
    const out: Array<{ name: string; value: string }> = [];
    for (const w of words) {
      const eq = w.raw.indexOf('=');
      const name = w.raw.slice(0, eq);
      const used = new Set<string>();
      const value = this.expand(dropPrefix(w.pieces, eq + 1), used, false).join('');
      if (apply) this.vars.set(name, { value, env: [...used] });
      out.push({ name, value });
    }
    return out;
  }

  private expandWords(
    words: Word[],
    used: Set<string>,
    split = true,
  ): { fields: string[]; firstFieldOf: Array<number | undefined> } {
    const fields: string[] = [];
    const firstFieldOf: Array<number | undefined> = [];
    for (const w of words) {
      const f = this.expand(w.pieces, used, split);
      firstFieldOf.push(f.length > 0 ? fields.length : undefined);
      fields.push(...f);
    }
    return { fields, firstFieldOf };
  }

  /**
   * A word's fields: unquoted expansions split at blanks (bash's default IFS), an unset variable
   * kept as written (a placeholder the checks then name), a substitution as its marker.
   */
  private expand(pieces: Piece[], used: Set<string>, split: boolean): string[] {
    const fields: string[] = [];
    let cur: string | null = null;
    const add = (text: string, splittable: boolean) => {
      if (!splittable || !split) {
        cur = (cur ?? '') + text;
        return;
      }
      const parts = text.split(/[ \t\n]+/);
      parts.forEach((part, k) => {
        if (k > 0 && cur !== null) {
          fields.push(cur);
          cur = null;
        }
        if (part !== '') cur = (cur ?? '') + part;
      });
    };
    for (const p of pieces) {
      if (p.t === 'lit') add(p.s, false);
      else if (p.t === 'sub') add(this.ctx.substitution(p.src), false);
      else {
        const value = this.valueOf(p, used);
        if (value === undefined) add(p.src, false);
        else if (typeof value === 'string') add(value, !p.q);
        else for (const [text, q] of value) add(text, !q);
      }
    }
    if (cur !== null) fields.push(cur);
    return fields;
  }

  /** A variable's value; `${X:-word}` and the like give word's pieces (text, quoted) instead. */
  private valueOf(
    p: Extract<Piece, { t: 'var' }>,
    used: Set<string>,
  ): string | Array<[string, boolean]> | undefined {
    const value = this.lookup(p.name, used);
    if (p.op === undefined) return value;
    const colon = p.op.startsWith(':');
    const missing = value === undefined || (colon && value === '');
    const word = (): Array<[string, boolean]> =>
      (p.arg ?? []).map((a) =>
        a.t === 'lit'
          ? [a.s, a.q]
          : a.t === 'sub'
            ? [this.ctx.substitution(a.src), true]
            : [this.expand([a], used, false).join(''), a.q],
      );
    switch (p.op.slice(-1)) {
      case '-':
        return missing ? word() : value;
      case '=': {
        if (!missing) return value;
        const w = word();
        this.vars.set(p.name, { value: w.map(([t]) => t).join(''), env: [...used] });
        return w;
      }
      case '+':
        return missing ? '' : word();
      default:
        return value; // `${X:?message}`: bash stops when X is unset; kept as written then
    }
  }

  private lookup(name: string, used: Set<string>): string | undefined {
    const local = this.vars.get(name);
    if (local) {
      for (const n of local.env) used.add(n);
      return local.value;
    }
    const value = this.ctx.fromEnv(name);
    if (value !== undefined) used.add(name);
    return value;
  }
}

function addLit(pieces: Piece[], s: string, q: boolean): void {
  const last = pieces.at(-1);
  if (last && last.t === 'lit' && last.q === q) last.s += s;
  else pieces.push({ t: 'lit', s, q });
}

/** The word's pieces after its first `n` characters as written (the `NAME=` of an assignment). */
function dropPrefix(pieces: Piece[], n: number): Piece[] {
  const first = pieces[0];
  if (!first || first.t !== 'lit' || first.q || first.s.length < n) return pieces;
  return [{ ...first, s: first.s.slice(n) }, ...pieces.slice(1)];
}

/** A word with its quotes removed and nothing expanded: a heredoc's delimiter, a command's name. */
function literal(w: Word): string {
  return w.pieces.map((p) => (p.t === 'lit' ? p.s : p.src)).join('');
}

function plain(w: Word): string {
  return literal(w);
}

/** The index just past the `}` that closes the `${` whose `{` is at `open`, or -1. */
function braceEnd(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (c === '\\') i += 1;
    else if (c === "'" && depth > 0) {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The index just past the `)` or backtick that closes the substitution starting at `start`, or -1. */
export function substitutionEnd(s: string, start: number): number {
  if (s.charAt(start) === '`') {
    for (let i = start + 1; i < s.length; i += 1) {
      if (s.charAt(i) === '\\') i += 1;
      else if (s.charAt(i) === '`') return i + 1;
    }
    return -1;
  }
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 1; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === '\\') i += 1;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
