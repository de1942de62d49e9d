import { spawn } from 'node:child_process';

/** The platform's "open this URL" command. The URL is ours (http, 127.0.0.1, a base64url one-time ticket): no shell metacharacters. */
function opener(url: string): { cmd: string; args: string[] } {
  if (process.platform === 'darwin') return { cmd: 'open', args: [url] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the "".
  if (process.platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url] };
  return { cmd: 'xdg-open', args: [url] };
}

/**
 * Opens the URL in the default browser, detached so that the browser outlives nothing of ours and
 * ours never waits for it. A failure (no opener, no display) is reported once through `onFail`.
 */
export function openBrowser(url: string, onFail: (why: string) => void): void {
  const { cmd, args } = opener(url);
  let failed = false;
  const fail = (why: string) => {
    if (failed) return;
    failed = true;
    onFail(why);
  };
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: true });
    child.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? `${cmd} not found` : `${cmd}: ${e.message}`),
    );
    child.once('exit', (code) => {
      if (code) fail(`${cmd} exited with code ${code}`);
    });
    child.unref();
  } catch (e) {
    fail(`${cmd}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
