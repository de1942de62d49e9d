import type { UiServer } from '../ui-server/server.js';
import { UsageError } from './errors.js';

/**
 * `why401 ui [--no-open] [--port N]`: the local web page (docs/UI.md, "Launch"). Stays up until
 * SIGINT or SIGTERM.
 */

export interface UiArgs {
  port: number;
  open: boolean;
  help: boolean;
}

export const UI_HELP = `why401 ui: the same diagnosis as a local web page. Paste a curl command or a URL with
header lines, inspect a token, or drop a HAR file (analysed in the browser, never uploaded).

Usage
  why401 ui [--no-open] [--port N]

Options
  --no-open    print the URL but do not open a browser
  --port N     port to listen on (default 0: any free port)

The server listens on 127.0.0.1 only and answers only the page it serves: the URL it prints
carries a key made for this launch. Ctrl+C stops it.
`;

export function parseUiArgs(args: string[]): UiArgs {
  const o: UiArgs = { port: 0, open: true, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name !== '--port' && inline !== undefined) throw new UsageError(`option '${name}' takes no value`);
    switch (name) {
      case '--port': {
        const v = inline ?? args[++i];
        if (v === undefined || v === '') throw new UsageError(`option '--port' needs a value`);
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
          throw new UsageError(`--port needs a port number 0-65535, not ${JSON.stringify(v)}`);
        o.port = Number(v);
        break;
      }
      case '--no-open':
        o.open = false;
        break;
      case '--no-color': // why401's global flag: nothing is coloured here
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new UsageError(
          arg.startsWith('-')
            ? `unknown option '${name}' for why401 ui (see why401 ui --help)`
            : `unexpected argument ${JSON.stringify(arg)} for why401 ui`,
        );
    }
  }
  return o;
}

export interface UiIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the server should stop; SIGINT or SIGTERM by default. */
  until?: Promise<void>;
  /** Called once the server listens. */
  onListening?: (server: UiServer) => void;
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function listenProblem(e: unknown, port: number): Error {
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return new UsageError(`port ${port} is already in use: pick another with --port N (or leave it out)`);
  if (code === 'EACCES')
    return new UsageError(
      `cannot listen on port ${port}: permission denied (ports below 1024 need privileges)`,
    );
  return e instanceof Error ? e : new Error(String(e));
}

export async function runUi(
  args: string[],
  io: UiIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const a = parseUiArgs(args);
  if (a.help) {
    io.stdout.write(UI_HELP);
    return 0;
  }
  // Listening for the signals before the server starts: a Ctrl+C during start-up still closes it.
  const until = io.until ?? untilSignal();
  const { startUiServer } = await import('../ui-server/server.js');
  let server: UiServer;
  try {
    server = await startUiServer({ port: a.port });
  } catch (e) {
    throw listenProblem(e, a.port);
  }
  io.stdout.write(`why401 ui: ${server.url}\n`);
  io.stderr.write('Press Ctrl+C to stop.\n');
  if (a.open) {
    const { openBrowser } = await import('../ui-server/open-browser.js');
    openBrowser(server.url, (why) =>
      io.stderr.write(`why401 ui: could not open a browser (${why}); open the URL above yourself.\n`),
    );
  }
  io.onListening?.(server);
  await until;
  await server.close();
  return 0;
}
