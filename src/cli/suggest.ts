import { UsageError } from './errors.js';

/**
 * "did you mean --json?": the nearest known option to a mistyped one. Optimal string alignment
 * distance (Levenshtein plus the swap of two neighbours), so `--jsno` is one edit from `--json`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The names within `max` edits of `name`, nearest first (ties keep the list's order). */
export function nearest(name: string, names: readonly string[], max = 2): string[] {
  return names
    .map((n) => ({ n, d: editDistance(name, n) }))
    .filter((x) => x.d <= max)
    .sort((x, y) => x.d - y.d)
    .map((x) => x.n);
}

/**
 * `unknown option --jsno; did you mean --json?` (names without their dashes); `otherwise` follows
 * when no name is close.
 */
export function unknownOption(name: string, known: readonly string[], otherwise = ''): UsageError {
  const near = nearest(name, known)[0];
  return new UsageError(
    `unknown option --${name}${near ? `; did you mean --${near}?` : otherwise ? ` ${otherwise}` : ''}`,
  );
}
