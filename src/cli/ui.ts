import { UsageError } from './errors.js';

/** `why401 ui`: the local web page (docs/UI.md). */
export async function runUi(_args: string[]): Promise<number> {
  throw new UsageError('why401 ui is not built yet');
}
