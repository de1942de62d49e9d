import { UsageError } from './errors.js';

/** `why401 diff GOOD BAD`: wired once the diff module lands (issue 5). */
export async function runDiff(args: string[]): Promise<number> {
  if (args.length !== 2) throw new UsageError('usage: why401 diff GOOD.har BAD.har');
  throw new UsageError('why401 diff is not available in this build yet');
}
