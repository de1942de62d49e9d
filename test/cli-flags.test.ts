import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OWN_FLAGS } from '../src/cli/own-flags.js';
import { helpText } from '../src/cli/help.js';

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
});
