import { join } from 'node:path';

// Apart from cache-dir.ts (the files in the folder, node:fs/promises and node:crypto): the CLI
// finds the folder at boot, before the user's request leaves (cli/early.ts).

/**
 * The platform's per-user cache folder + `why401`, or undefined when the environment names none
 * (then nothing is cached):
 * - Linux and the other Unixes: `$XDG_CACHE_HOME`, else `$HOME/.cache` (XDG Base Directory
 *   Specification; a relative XDG_CACHE_HOME is invalid there and ignored);
 * - macOS: `$HOME/Library/Caches` (Apple's File System Programming Guide, "Caches");
 * - Windows: `%LOCALAPPDATA%` (the Known Folder FOLDERID_LocalAppData).
 * Only the environment is read, never the password database: a run with no HOME (a bare
 * `env -i`, a test's child process) caches nothing rather than guessing.
 */
export function platformCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
): string | undefined {
  const absolute = (p: string | undefined) =>
    p && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')) ? p : undefined;
  let base: string | undefined;
  if (platform === 'win32') base = absolute(env.LOCALAPPDATA);
  else if (platform === 'darwin') {
    const home = absolute(env.HOME);
    base = home && join(home, 'Library', 'Caches');
  } else {
    const home = absolute(env.HOME);
    base = absolute(env.XDG_CACHE_HOME) ?? (home && join(home, '.cache'));
  }
  return base && join(base, 'why401');
}
