import { UsageError } from './errors.js';

/** `why401 guide URL`: the article's five steps in the terminal (docs/UI.md). */
export async function runGuide(_args: string[]): Promise<number> {
  throw new UsageError('why401 guide is not built yet');
}
