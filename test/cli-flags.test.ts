import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OWN_FLAGS } from '../src/cli/own-flags.js';
import { helpText } from '../src/cli/help.js';
import { checkDirectFlags } from '../src/cli/direct-flags.js';

/** Every option the README documents is one the CLI knows, and the help lists them all. */
describe('why401 options', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf("### why401's options"),
    readme.indexOf('### curl flags understood'),
  );
  const documented = [...new Set([...section.matchAll(/`(--[a-z][a-z-]*)/g)].map((m) => m[1]!.slice(2)))];

  it('the README documents options', () => {
    expect(documented.length).toBeGreaterThan(10);
  });
  it.each(documented)('--%s is a known option and in --help', (name) => {
    expect(OWN_FLAGS.map((f) => f.name)).toContain(name);
    expect(helpText()).toContain(`--${name}`);
  });
  it.each(OWN_FLAGS.map((f) => f.name))('--%s is documented in the README', (name) => {
    expect(documented).toContain(name);
  });
  it('the commands table and --help list the same commands, token included', () => {
    const commands = readme.slice(readme.indexOf('## Commands'), readme.indexOf("### why401's options"));
    for (const cmd of ['har', 'diff', 'guide', 'demo', 'token', 'echo', 'ui', 'curl']) {
      expect(commands).toContain(`why401 ${cmd === 'curl' ? '[options] curl' : cmd}`);
      expect(helpText()).toMatch(new RegExp(`why401 (\\[options\\] )?${cmd}\\b`));
    }
  });
  it('the exit codes of the README are those of --help', () => {
    const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('## why401 guide'));
    for (const code of [0, 1, 2, 3, 4]) {
      expect(table).toContain(`| ${code}    |`);
      expect(helpText()).toMatch(new RegExp(`\\n  ${code}  |  ${code}  `));
    }
  });
});

describe('a mistyped option', () => {
  it.each([
    ['jsno', 'json'],
    ['quite', 'quiet'],
    ['no-probe', 'no-probes'],
    ['save-evidense', 'save-evidence'],
  ])('--%s: did you mean --%s?', (typo, meant) => {
    expect(() => checkDirectFlags([`--${typo}`, 'https://x/'], OWN_FLAGS)).toThrow(
      `unknown option --${typo}; did you mean --${meant}?`,
    );
  });
  it.each([
    ['https://x/', '--data-raw', 'x'],
    ['https://x/', '--proto', '=https'],
    ['https://x/', '--no-location'],
    ['https://x/', '--http1.1', '--compressed'],
    ['-H', 'A: b', '--json', 'https://x/', '--retry', '3'],
  ])('curl flags are never taken for ours: %j', (...args) => {
    expect(() => checkDirectFlags(args, OWN_FLAGS)).not.toThrow();
  });
  it('an unknown flag after the URL is left to curl (a warning there)', () => {
    expect(() => checkDirectFlags(['https://x/', '--frobnicate'], OWN_FLAGS)).not.toThrow();
  });
});
