import { UsageError } from './errors.js';
import { unknownOption } from './suggest.js';

/**
 * What `why401 ui` and `why401 echo` share as long-running local servers: splitting `--name=value`,
 * reading `--port`, waiting for Ctrl+C, and saying in plain words why a port could not be taken.
 */

/** `--name=value` split into the option's name and its inline value; anything else is the name alone. */
function splitOption(arg: string): { name: string; inline: string | undefined } {
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return { name: arg.slice(0, eq), inline: arg.slice(eq + 1) };
  return { name: arg, inline: undefined };
}

/** An option or argument the command does not take (`command` as in `why401 ui`'s "ui"). */
function unexpectedArg(command: string, arg: string, name: string, spec: ServeOptionSpec): UsageError {
  if (name.startsWith('--') && name.length > 2)
    return unknownOption(
      name.slice(2),
      [...spec.values, ...spec.switches].map((n) => n.slice(2)),
      `for why401 ${command} (see why401 ${command} --help)`,
    );
  return new UsageError(
    arg.startsWith('-')
      ? `unknown option '${name}' for why401 ${command} (see why401 ${command} --help)`
      : `unexpected argument ${JSON.stringify(arg)} for why401 ${command}`,
  );
}

/** What a server command's own options look like: those that take a value, and plain switches. */
export interface ServeOptionSpec {
  values: readonly string[];
  switches: readonly string[];
}

export interface ServeOptions {
  /** The last value given for each value option (`--port 8080` or `--port=8080`). */
  values: Map<string, string>;
  switches: Set<string>;
  help: boolean;
}

/**
 * The one argument loop of `why401 ui` and `why401 echo`: `--name value` and `--name=value` for
 * value options, switches that take no value, -h/--help, and a one-line usage error for the rest.
 */
export function parseServeOptions(command: string, args: string[], spec: ServeOptionSpec): ServeOptions {
  const out: ServeOptions = { values: new Map(), switches: new Set(), help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const { name, inline } = splitOption(arg);
    if (name === '-h' || name === '--help') {
      out.help = true;
    } else if (spec.values.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`option '${name}' needs a value`);
      out.values.set(name, v);
    } else if (spec.switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`option '${name}' takes no value`);
      out.switches.add(name);
    } else {
      throw unexpectedArg(command, arg, name, spec);
    }
  }
  return out;
}

/** A `--port` value: 0 (any free port) to 65535, digits only. */
export function parsePort(v: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
    throw new UsageError(`--port needs a port number 0-65535, not ${JSON.stringify(v)}`);
  return Number(v);
}

/** Where a long-running command writes, and (for tests) when it stops and how it reports its server. */
export interface ServeIo<Server> {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the server should stop; SIGINT or SIGTERM by default. */
  until?: Promise<void>;
  /** Called once the server listens (tests read the URL from it). */
  onListening?: (server: Server) => void;
}

/** Resolves on the first SIGINT or SIGTERM, and stops listening for both. */
export function untilSignal(): Promise<void> {
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

export interface ListenAt {
  port: number;
  /** Named in the messages when the user chose it (echo's --host); the ui server is loopback only. */
  host?: string;
  /** How to get a free port instead, for "already in use". */
  freePortHint: string;
}

/** A listen error as a usage error the person can act on; anything unexpected is passed on. */
export function listenProblem(e: unknown, at: ListenAt): Error {
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return new UsageError(
      `port ${at.port} is already in use${at.host !== undefined ? ` on ${at.host}` : ''}: pick another with --port N (${at.freePortHint})`,
    );
  if (code === 'EACCES')
    return new UsageError(
      `cannot listen on port ${at.port}: permission denied (ports below 1024 need privileges)`,
    );
  if (at.host !== undefined && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'))
    return new UsageError(`cannot listen on ${at.host}: no such address on this machine`);
  return e instanceof Error ? e : new Error(String(e));
}
