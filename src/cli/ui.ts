import type { UiServer } from '../ui-server/server.js';
import { listenProblem, parsePort, parseServeOptions, untilSignal, type ServeIo } from './serve-util.js';

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

The server listens on 127.0.0.1 only and answers only the page it serves. The link it prints
opens the page once (a one-time ticket, traded for this launch's key); the browser it opens
gets a link of its own that works once, within 60 s. Ctrl+C stops it.

Examples
  why401 ui
  why401 ui --no-open --port 8402              # open the printed URL yourself
`;

export function parseUiArgs(args: string[]): UiArgs {
  // --no-color is why401's global flag: accepted, nothing is coloured here.
  const o = parseServeOptions('ui', args, { values: ['--port'], switches: ['--no-open', '--no-color'] });
  const port = o.values.get('--port');
  return { port: port === undefined ? 0 : parsePort(port), open: !o.switches.has('--no-open'), help: o.help };
}

export type UiIo = ServeIo<UiServer>;

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
    throw listenProblem(e, { port: a.port, freePortHint: 'or leave it out' });
  }
  // Two links, each good for one tab: the printed one for the person (their terminal is theirs),
  // and one for the opener whose arguments every local user can read, dead after 60 s.
  io.stdout.write(`why401 ui: ${server.link()}\n`);
  io.stderr.write('Press Ctrl+C to stop.\n');
  if (a.open) {
    const { openBrowser } = await import('../ui-server/open-browser.js');
    const { OPENER_TICKET_MS } = await import('../ui-server/tickets.js');
    openBrowser(server.link(OPENER_TICKET_MS), (why) =>
      io.stderr.write(`why401 ui: could not open a browser (${why}); open the link above yourself.\n`),
    );
  }
  io.onListening?.(server);
  await until;
  await server.close();
  return 0;
}
