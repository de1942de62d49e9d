import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  leadingOwnFlags,
  ownFlagOf,
  ownFlagTokens,
  splitOwnFlags,
  splitWhy401Args,
} from '../../src/cli/argv.js';
import { OWN_FLAGS } from '../../src/cli/own-flags.js';
import { route } from '../../src/cli/route.js';

/**
 * src/cli/argv.ts is the one splitter of why401's command line (issue 15, item 5): every command
 * recognises its own options through it, the same way. Its tables; then the folder rules that keep
 * it the only one.
 */

const own = [
  { name: 'json', takesValue: false },
  { name: 'html', takesValue: true },
];

describe('ownFlagOf and ownFlagTokens: one rule for an own option', () => {
  it.each([
    ['--json', 'json', 1],
    ['--json=x', 'json', 1],
    ['--html', 'html', 2],
    ['--html=r.html', 'html', 1],
    ['--jsonx', undefined, 0],
    ['-json', undefined, 0],
    ['--', undefined, 0],
    ['json', undefined, 0],
  ] as const)('%s names %s and spans %d token(s)', (token, name, span) => {
    expect(ownFlagOf(token, own)?.name).toBe(name);
    expect(ownFlagTokens([token, 'next'], 0, own)).toBe(span);
  });

  it('a value given apart at the end of argv spans the option alone', () => {
    expect(ownFlagTokens(['--html'], 0, own)).toBe(1);
  });

  it('table names may be written with their dashes', () => {
    expect(ownFlagOf('--expect-audience=a', [{ name: '--expect-audience', takesValue: true }])).toBeDefined();
  });
});

describe('leadingOwnFlags: options before a command', () => {
  it.each([
    [['--json', 'har', 'f.har'], ['--json'], ['har', 'f.har']],
    [['--html', 'har', 'f.har'], ['--html', 'har'], ['f.har']],
    [
      ['--html=r', '--json', 'token', 'x'],
      ['--html=r', '--json'],
      ['token', 'x'],
    ],
    [['--bogus', '--json', 'x'], [], ['--bogus', '--json', 'x']],
    [['--html'], ['--html'], []],
    [[], [], []],
  ])('%j → own %j, rest %j', (argv, ownPart, rest) => {
    expect(leadingOwnFlags(argv, own)).toEqual({ own: ownPart, rest });
  });
});

describe('splitOwnFlags: options anywhere among operands', () => {
  it.each([
    [['a.har', '--json', 'b.har'], ['--json'], ['a.har', 'b.har']],
    [['--html', '--sanitize', 'a.har'], ['--html', '--sanitize'], ['a.har']],
    [['--sanitize', 'in', 'out', '--html=r'], ['--html=r'], ['--sanitize', 'in', 'out']],
    [['-', '--', '-x'], [], ['-', '--', '-x']],
  ])('%j → own %j, positional %j', (argv, ownPart, positional) => {
    expect(splitOwnFlags(argv, own)).toEqual({ own: ownPart, positional });
  });
});

describe('splitWhy401Args: the direct form', () => {
  it("a curl flag's value is curl's even when it looks like ours; a short cluster's too", () => {
    expect(
      splitWhy401Args(['-sH', '--json', '--html', 'r', 'https://x.test/', '--header', '--json'], own),
    ).toEqual({
      own: ['--html', 'r'],
      curl: ['-sH', '--json', 'https://x.test/', '--header', '--json'],
    });
  });
  it('--header=V and -HV carry their value: the next token is looked at again', () => {
    expect(splitWhy401Args(['--header=A: 1', '--json', '-HA:1', '--json'], own)).toEqual({
      own: ['--json', '--json'],
      curl: ['--header=A: 1', '-HA:1'],
    });
  });
});

describe('route: the command decided with the same rule', () => {
  it.each([
    [['--json', 'har', 'f.har'], 'har', [], ['--json', 'f.har']],
    [['--html', 'har', 'f.har'], 'direct', [], ['--html', 'har', 'f.har']],
    [['--json', '--help'], 'help', ['--json'], []],
    [['--client-secret', '--help'], 'direct', [], ['--client-secret', '--help']],
    [['--json', 'curl', 'https://x.test/', '--json'], 'curl', ['--json'], ['https://x.test/', '--json']],
    [['https://x.test/', '--json'], 'direct', [], ['https://x.test/', '--json']],
  ])('%j → %s', (argv, mode, ownPart, rest) => {
    expect(route(argv)).toEqual({ mode, own: ownPart, rest });
  });
});

describe('one splitter, one curl parser entry', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  const sources = [...files('src'), ...files('ui/src'), ...files('test')].map((f) => ({
    file: f,
    text: readFileSync(join(root, f), 'utf8'),
  }));

  it('outside src/parse/curl/, only its index.js is imported (cli/argv.ts reads the flag table alone)', () => {
    const deep: string[] = [];
    for (const { file, text } of sources) {
      if (file.startsWith(join('src', 'parse', 'curl'))) continue;
      for (const m of text.matchAll(/from\s+'([^']*parse\/curl\/[^']+)'/g)) {
        const allowed =
          m[1]!.endsWith('/index.js') ||
          (file === join('src', 'cli', 'argv.ts') && m[1] === '../parse/curl/flags.js');
        if (!allowed) deep.push(`${file}: ${m[1]}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it('no file of the CLI walks the own-option table by hand: they ask cli/argv.ts', () => {
    const walkers = sources
      .filter(({ file }) => file.startsWith(join('src', 'cli')) && !file.endsWith('options.ts'))
      .filter(({ text }) => /OWN_FLAGS\.find\(|FLAGS\.find\(\(x\) => x\.name ===/.test(text))
      .map(({ file }) => relative('.', file));
    expect(walkers).toEqual([]);
  });

  it('OWN_FLAGS itself splits as the tables above', () => {
    expect(leadingOwnFlags(['--offline', '--from', 'e.json', 'x'], OWN_FLAGS)).toEqual({
      own: ['--offline', '--from', 'e.json'],
      rest: ['x'],
    });
  });
});
