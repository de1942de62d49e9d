import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { exitCodeOf } from '../core/exit-code.js';
import {
  accountFromAuthorization,
  adviceFor,
  clockSkewSeconds,
  guideSteps,
  supportBlock,
  type Answer,
  type DeviceFacts,
  type GuideCheck,
  type GuideQuestion,
  type GuideStep,
  stillOpen,
} from '../guide/index.js';
import type { Report } from '../model/report.js';
import { leadingOwnFlags, splitWhy401Args } from './argv.js';
import { style, type Style } from '../render/style.js';
import { terminalSafeDeep } from '../render/terminal-safe.js';
import { diagnoseWithEvidence, writeWarnings } from './diagnose.js';
import { checkDirectFlags } from './direct-flags.js';
import { UsageError } from './errors.js';
import { writeHtmlReport } from './io.js';
import { parseOwn, useColor, type OwnOptions } from './options.js';
import { OWN_FLAGS, type OwnFlag } from './own-flags.js';
import { requestFromArgs } from '../diagnose/request-input.js';
import { readPaste } from './io.js';

/**
 * `why401 guide <url> [curl flags…]` and `why401 guide curl <pasted command…>`: the article's five
 * steps in the terminal (docs/UI.md), for people who are not developers. The request is diagnosed
 * as `why401` does; the guide model (src/guide) turns the report into plain-words checks, then the
 * person answers what only they can try (y / n / Enter = not tried, one line each, from a
 * terminal or a pipe), and gets advice and a block to send to support.
 */

/** The guide's own flag, beside why401's (not a global option: only the guide asks questions). */
const GUIDE_FLAGS: OwnFlag[] = [
  ...OWN_FLAGS,
  {
    name: 'no-questions',
    takesValue: false,
    help: 'print the checks, advice and support block; ask nothing',
  },
];

interface GuideArgs {
  mode: 'direct' | 'curl';
  curl: string[];
  o: OwnOptions;
  questions: boolean;
}

/** Own flags first, then either `curl <paste…>` or the direct form (our flags split from curl's). */
export function parseGuideArgs(args: string[]): GuideArgs {
  const { own, rest } = leadingOwnFlags(args, GUIDE_FLAGS);
  let mode: 'direct' | 'curl' = 'direct';
  let curl: string[] = [];
  if (rest[0] === 'curl') {
    mode = 'curl';
    curl = rest.slice(1);
  } else {
    checkDirectFlags(rest, GUIDE_FLAGS);
    const split = splitWhy401Args(rest, GUIDE_FLAGS);
    own.push(...split.own);
    curl = split.curl;
  }
  const questions = !own.includes('--no-questions');
  const o = parseOwn(own.filter((a) => a !== '--no-questions'));
  if (o.from) throw new UsageError('why401 guide sends the request itself; --from is not supported here');
  if (curl.length === 0)
    throw new UsageError(
      mode === 'curl'
        ? 'no curl command after `why401 guide curl` (paste it, or use `curl -` to read it from stdin)'
        : 'no URL given (usage: why401 guide <url> [curl flags…])',
    );
  return { mode, curl, o, questions };
}

/** Which account the request's credentials name (never a secret), read from the request as given. */
function accountOf(mode: 'direct' | 'curl', curl: string[], o: OwnOptions): string | undefined {
  const { request } = requestFromArgs(mode, curl, Date.now(), undefined, o.pasteEnv);
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() !== 'authorization') continue;
    const a = accountFromAuthorization(value);
    if (a) return a;
  }
  return undefined;
}

/** The device clock minus the server's: this machine's clock when the main probe's last answer arrived. */
function skewOf(report: Report): number | undefined {
  const last = report.probes
    .filter((p) => p.name === 'main')
    .sort((a, b) => a.hop - b.hop)
    .at(-1);
  if (!last) return undefined;
  return clockSkewSeconds(report, Date.parse(report.support.timestamp) + last.ms);
}

const MARK: Record<GuideCheck['result'], (s: Style) => string> = {
  pass: (s) => s.green('✓'),
  fail: (s) => s.red('✗'),
  info: (s) => s.cyan('•'),
  skipped: (s) => s.dim('–'),
};

function renderHeader(report: Report, s: Style): string[] {
  const st = report.status === null ? report.outcome : String(report.status);
  return [
    `${s.bold('why401 guide')} ${report.target.method} ${report.target.url} → ${st}`,
    '',
    s.dim('✓ checked and fine   ✗ something to fix   • worth knowing   – could not be checked'),
    '',
  ];
}

function renderStep(step: GuideStep, s: Style): string[] {
  const out = [s.bold(`Step ${step.step} of 5: ${step.title}`)];
  if (step.checks.length) {
    out.push('  What why401 checked:');
    for (const c of step.checks) out.push(`    ${MARK[c.result](s)} ${c.text}`);
  }
  if (step.todo.length) {
    out.push('  What you can do:');
    for (const t of step.todo) out.push(`    ${s.dim('·')} ${t}`);
  }
  out.push('');
  return out;
}

export function renderSteps(report: Report, steps: GuideStep[], s: Style): string {
  return [...renderHeader(report, s), ...steps.flatMap((step) => renderStep(step, s))].join('\n');
}

function parseAnswer(line: string): Answer | undefined {
  const t = line.trim().toLowerCase();
  if (t === '') return 'not-tried';
  if (t === 'y' || t === 'yes') return 'yes';
  if (t === 'n' || t === 'no') return 'no';
  return undefined;
}

/** An answer is a letter; a line longer than this is not an answer (a file or /dev/zero piped in by mistake). */
const MAX_ANSWER_LINE = 4096;

/**
 * Piped answers pass through this cap: readline buffers a line until its newline, so /dev/zero on
 * stdin would grow without bound. The error ends the guide in one line (exit 2).
 */
function answerLines(): Transform {
  let sinceNewline = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const nl = chunk.lastIndexOf(0x0a);
      sinceNewline = nl < 0 ? sinceNewline + chunk.length : chunk.length - nl - 1;
      if (sinceNewline > MAX_ANSWER_LINE)
        cb(
          new UsageError(
            `an answer on standard input is longer than ${MAX_ANSWER_LINE} bytes: answer y, n or an empty line`,
          ),
        );
      else cb(null, chunk);
    },
  });
}

/**
 * Asks each question on stderr (so stdout stays the report) and reads one line per answer from
 * stdin, a terminal or a pipe alike. When stdin ends, the remaining answers are 'not-tried'.
 */
async function ask(
  questions: GuideQuestion[],
  s: Style,
  /** Called before the first question of each step: the step's checks are shown there, so the first question comes within one screen. */
  onStep?: (step: GuideQuestion['step']) => void,
): Promise<Record<string, Answer>> {
  const answers: Record<string, Answer> = {};
  for (const q of questions) answers[q.id] = 'not-tried';
  if (!questions.length) return answers;
  const tty = process.stdin.isTTY === true;
  const rl = createInterface(
    tty
      ? { input: process.stdin, output: process.stderr, terminal: true }
      : { input: process.stdin.pipe(answerLines()), terminal: false },
  );
  // Ctrl+C at a question: readline takes it from the terminal, so end the run as the shell expects.
  rl.on('SIGINT', () => {
    process.stderr.write('\n');
    process.exit(130);
  });
  const lines = rl[Symbol.asyncIterator]();
  const err = process.stderr;
  err.write(`${s.bold('Questions')} (only you can try these): y = yes, n = no, Enter = not tried\n\n`);
  try {
    let shown: GuideQuestion['step'] | undefined;
    for (const q of questions) {
      if (q.step !== shown) {
        shown = q.step;
        onStep?.(q.step);
      }
      // A yes settles its step: "it works after signing in again" ends the session questions.
      if (!stillOpen(q, answers)) continue;
      if (q.how) err.write(`  ${s.dim(`How: ${q.how}`)}\n`);
      let answer: Answer | undefined;
      while (answer === undefined) {
        err.write(`  Step ${q.step}: ${q.text} [y/n/Enter] `);
        const next = await lines.next().catch((e: unknown) => {
          err.write('\n');
          throw e instanceof UsageError ? e : new UsageError(`cannot read the answers: ${String(e)}`);
        });
        if (next.done) {
          err.write('\n');
          return answers;
        }
        answer = parseAnswer(String(next.value));
        if (answer === undefined && !tty) answer = 'not-tried';
        if (answer === undefined)
          err.write('  Please answer y, n, or press Enter if you have not tried it.\n');
      }
      if (!tty) err.write(`${answer}\n`);
      answers[q.id] = answer;
    }
  } finally {
    rl.close();
  }
  err.write('\n');
  return answers;
}

export async function runGuide(args: string[]): Promise<number> {
  const g = parseGuideArgs(args);
  let { curl } = g;
  // `guide curl -`: the paste is read now, once; stdin then has no answers left.
  if (g.mode === 'curl' && curl.length === 1 && curl[0] === '-') curl = [readPaste()];
  const o = g.o;
  o.pasteEnv = process.env;
  const account = accountOf(g.mode, curl, o);
  const err = process.stderr;
  const progress = !o.quiet && err.isTTY;
  if (progress) err.write('why401: checking the address…');
  const { evidence, report } = await diagnoseWithEvidence(g.mode, curl, o);
  if (progress) err.write('\x1b[2K\r');
  writeWarnings(report.warnings);
  if (o.saveEvidence !== undefined) {
    const { saveEvidence } = await import('./evidence-file.js');
    saveEvidence(o.saveEvidence, evidence);
  }

  const raw: DeviceFacts = {};
  const skew = skewOf(report);
  if (skew !== undefined) raw.clockSkewSeconds = skew;
  if (account !== undefined) raw.account = account;
  // The terminal gets every value escaped (a claim, a server's words: terminal-safe.ts); JSON is data.
  const [shown, device] = o.json ? [report, raw] : [terminalSafeDeep(report), terminalSafeDeep(raw)];
  const steps = guideSteps(shown, device);

  if (o.json) {
    const advice = adviceFor({}, shown, device);
    const support = supportBlock(shown, { now: Date.now(), device, advice });
    process.stdout.write(`${JSON.stringify({ report, steps, advice, support }, null, 2)}\n`);
  } else {
    const s = style(useColor(o, process.stdout));
    const questions = g.questions ? steps.flatMap((st) => st.questions) : [];
    // Each step's checks, then its questions: the first question comes within one screen.
    const printed = new Set<number>();
    const show = (n: number) => {
      const step = steps.find((x) => x.step === n);
      if (o.markdown || !step || printed.has(n)) return;
      process.stdout.write(`${printed.size ? '\n' : ''}${renderStep(step, s).join('\n')}\n`);
      printed.add(n);
    };
    if (!o.markdown) process.stdout.write(`${renderHeader(shown, s).join('\n')}\n`);
    const answers = await ask(questions, style(useColor(o, process.stderr)), show);
    for (const step of steps) show(step.step);
    const advice = adviceFor(answers, shown, device);
    const support = supportBlock(shown, { now: Date.now(), answers, device, advice });
    if (o.markdown) process.stdout.write(support.markdown);
    else {
      const out = ['', s.bold('What to do next')];
      for (const a of advice) out.push(`  → ${a.text}`);
      out.push('', support.text);
      process.stdout.write(out.join('\n'));
    }
  }
  if (o.html !== undefined) {
    const { renderHtml } = await import('../render/html.js');
    writeHtmlReport(o.html, renderHtml(report));
  }
  return exitCodeOf(report);
}
