import { terminalSafe } from '../render/terminal-safe.js';
import { echoLogLine } from '../echo/format.js';
import { startEchoServer, type EchoServer, type EchoServerOptions } from '../echo/server.js';
import { listenProblem, parsePort, parseServeOptions, untilSignal, type ServeIo } from './serve-util.js';

/**
 * `why401 echo [--port N] [--host H] [--json]`: a server that shows exactly what arrived, to place
 * behind a suspected proxy, CDN or gateway. Stays up until SIGINT or SIGTERM. Every request is
 * answered with what arrived and logged on stdout (one line each, or one JSON object each with
 * --json); credentials are always fingerprinted.
 */

/** why401's port: 8401 ("401"), free on most machines; --port 0 takes any free port. */
export const DEFAULT_ECHO_PORT = 8401;

export interface EchoArgs {
  port: number;
  host: string;
  json: boolean;
  quiet: boolean;
  help: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const ECHO_HELP = `why401 echo: a server that answers every request with exactly what arrived (method, URL,
every header in arrival order, body size; credentials fingerprinted), as text or JSON.
Point a proxy, CDN or gateway at it and send a request through: you see whether Authorization
gets through, and what was added or changed on the way.

Usage
  why401 echo [--port N] [--host H] [--json]

Options
  --port N     port to listen on (default ${DEFAULT_ECHO_PORT}; 0 takes a free one)
  --host H     address to bind (default 127.0.0.1). Another address exposes what arrives
               (fingerprinted) to anyone who can reach it
  --json       answer JSON by default and log one JSON object per request
  --quiet      do not log requests on stdout

A request gets JSON with "Accept: application/json" or "?format=json", text otherwise.

Examples
  why401 echo                                  # then: curl -H 'Authorization: Bearer x' http://127.0.0.1:${DEFAULT_ECHO_PORT}/
  why401 echo --port 0 --json
  why401 echo --host 0.0.0.0 --port 9000       # reachable from a proxy on another machine
`;

/** Parses the echo command's own arguments (why401's global --json, --quiet, --no-color are accepted too). */
export function parseEchoArgs(args: string[]): EchoArgs {
  const o = parseServeOptions('echo', args, {
    values: ['--port', '--host'],
    switches: ['--json', '--quiet', '--no-color'],
  });
  const port = o.values.get('--port');
  return {
    port: port === undefined ? DEFAULT_ECHO_PORT : parsePort(port),
    host: (o.values.get('--host') ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'),
    json: o.switches.has('--json'),
    quiet: o.switches.has('--quiet'),
    help: o.help,
  };
}

export type EchoIo = ServeIo<EchoServer>;

export async function runEcho(
  args: string[],
  io: EchoIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const a = parseEchoArgs(args);
  if (a.help) {
    io.stdout.write(ECHO_HELP);
    return 0;
  }
  if (!LOOPBACK.has(a.host))
    io.stderr.write(
      `why401 echo: warning: listening on ${a.host} exposes what arrives (credentials fingerprinted, every other header as sent) to anyone who can reach this address.\n`,
    );
  const opts: EchoServerOptions = { port: a.port, host: a.host, defaultFormat: a.json ? 'json' : 'text' };
  if (!a.quiet)
    opts.onRequest = (r) =>
      io.stdout.write(a.json ? `${JSON.stringify(r)}\n` : `${terminalSafe(echoLogLine(r))}\n`);
  let server: EchoServer;
  try {
    server = await startEchoServer(opts);
  } catch (e) {
    throw listenProblem(e, { port: a.port, host: a.host, freePortHint: '--port 0 takes a free one' });
  }
  if (a.json) io.stdout.write(`${JSON.stringify({ listening: server.url })}\n`);
  else
    io.stdout.write(
      `why401 echo listening on ${server.url}\nPoint your proxy, CDN or gateway at this URL and send a request through it (Ctrl-C to stop).\n`,
    );
  io.onListening?.(server);
  await (io.until ?? untilSignal());
  await server.close();
  return 0;
}
