export { UsageError, InputTooLarge, Why401Error } from '../model/errors.js';

/** PRODUCT.md's exit codes, and 4 for a bug in why401 itself (never expected, always one line). */
export const EXIT = { ok: 0, diagnosed: 1, usage: 2, unreachable: 3, internal: 4 } as const;
