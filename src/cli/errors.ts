/** A failure the user can fix: printed as one line, exit code 2 (bad usage or unreadable input). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** PRODUCT.md's exit codes, and 4 for a bug in why401 itself (never expected, always one line). */
export const EXIT = { ok: 0, diagnosed: 1, usage: 2, unreachable: 3, internal: 4 } as const;
