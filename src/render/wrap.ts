/**
 * Word wrapping for the terminal report: at spaces only, never inside a word (a URL, a token's
 * fingerprint or a curl command argument stays whole even when it is longer than the line), with a
 * prefix for the first line and another for the lines after it. Colour codes count for nothing.
 */

const ANSI = /\x1b\[[0-9;]*m/g;

/** The printed width of a string: ANSI colour codes take no room. */
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/**
 * Wraps one paragraph (a string without line breaks) to `width` columns. `first` starts the first
 * line, `rest` every following one (a hanging indent).
 */
export function wrapLine(text: string, width: number, first = '', rest = first): string[] {
  const words = text.split(' ').filter((w, i, all) => w !== '' || i === all.length - 1);
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    const candidate = empty ? line + w : `${line} ${w}`;
    if (!empty && visibleLength(candidate) > width) {
      out.push(line);
      line = rest + w;
    } else line = candidate;
    empty = false;
  }
  out.push(line);
  return out;
}

/** Wraps text that may hold line breaks: each line is a paragraph with the same indents. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  return text.split('\n').flatMap((para, i) => wrapLine(para, width, i === 0 ? first : rest, rest));
}
