#!/usr/bin/env node
import nodeModule from 'node:module';
import v8 from 'node:v8';
import { EXIT, UsageError, Why401Error } from './errors.js';
import { route } from './route.js';
import { startEarly } from './early.js';
import type { Prefetch } from '../probe/prefetch.js';
import { VERSION } from '../core/version.js';
import { terminalSafe } from '../render/terminal-safe.js';

/**
 * The entry point. It decides the command first and loads the heavy modules (undici, jose, the
 * checks) only for commands that need them, so `why401 --help` starts about as fast as node.
 */
// Node 22.1+ keeps compiled code on disk (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): from the second run on, the modules below skip most of their compile time.
// Node 20 has no such cache; there this is a no-op.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// undici parses HTTP with llhttp compiled to WebAssembly. On Node 20 and 22, V8 starts optimizing
// the parser's code on a background thread after a few responses, and Node waits for that
// compilation before it can exit: 100–250 ms after the report was written (measured with
// bench/timeline.mjs; issue 16), for a speed-up no single diagnosis lives long enough to use.
// V8's baseline code parses a response well within a millisecond. The flag is read whenever
// WebAssembly is compiled, so setting it here, before undici is loaded, takes effect (Node's
// docs warn that flags set after start-up may not; this one was measured on Node 20, 22, 24).
// CLI only: a library must not change the V8 flags of the process that imports it.
v8.setFlagsFromString('--liftoff-only');

async function main(argv: string[], early?: Promise<Prefetch | undefined>): Promise<number> {
  const r = route(argv);
  switch (r.mode) {
    case 'help': {
      const { helpText, commandHelp } = await import('./help.js');
      process.stdout.write(r.rest[0] ? commandHelp(r.rest[0]) : helpText());
      return EXIT.ok;
    }
    case 'version':
      process.stdout.write(`why401 ${VERSION}\n`);
      return EXIT.ok;
    case 'har': {
      const { runHar } = await import('./har.js');
      return runHar(r.rest);
    }
    case 'diff': {
      const { runDiff } = await import('./diff.js');
      return runDiff(r.rest);
    }
    case 'echo': {
      const { runEcho } = await import('./echo.js');
      return runEcho(r.rest);
    }
    case 'token': {
      const { runToken } = await import('./token.js');
      return runToken(r.rest);
    }
    case 'ui': {
      const { runUi } = await import('./ui.js');
      const code = await runUi(r.rest);
      // Stopped (Ctrl+C): a diagnosis still waiting on a slow server must not hold the process
      // up until its own timeout. Everything the server printed was written long before.
      process.exit(code);
    }
    case 'guide': {
      const { runGuide } = await import('./guide.js');
      return runGuide(r.rest);
    }
    case 'audit': {
      const { runAuditCommand } = await import('./audit.js');
      return runAuditCommand(r.rest);
    }
    case 'demo': {
      const { runDemo } = await import('./demo.js');
      return runDemo(r.own);
    }
    default: {
      // The head start's requests on the wire first: begun beside the diagnosis's ~100 modules,
      // they waited on that loading and left 35–90 ms later on Node 20, and after the user's own
      // request on Node 22 and 24 (bench/timeline.mjs). The user's request is not the one a cold
      // diagnosis waits for longest (discovery and then the JWKS are), so it may wait a little:
      // 50 ms at most, about a TCP and TLS handshake to an issuer not far away.
      await (await early)?.leaving(50);
      const { runDiagnose } = await import('./diagnose.js');
      return runDiagnose(r, early);
    }
  }
}

/** The first line of an error, escaped for the terminal: a message may quote a file or a server. */
function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return terminalSafe(msg.split('\n')[0]!.trim());
}

/** An error line with the command line's secrets hidden (loaded only on this path: --help stays fast). */
async function shown(e: unknown, argv: string[]): Promise<string> {
  try {
    const { redactCommandLine } = await import('./warnings.js');
    return redactCommandLine(oneLine(e), argv);
  } catch {
    // Never the raw line: it may quote a secret.
    return `${e instanceof Error ? e.name : 'error'} (its message is withheld: it could not be checked for secrets)`;
  }
}

const argv = process.argv.slice(2);

// The identity provider's documents, asked for before the rest of why401 loads (cli/early.ts).
const early = startEarly(argv, process.env, process.platform, `why401/${VERSION}`)?.catch(() => undefined);

/**
 * How a run that threw ends: input the user can fix is one line and exit 2; anything else is a
 * bug in why401, one line (the stack with WHY401_DEBUG=1) and exit 4, never 1 ("diagnosed").
 */
async function fail(e: unknown): Promise<void> {
  if (e instanceof UsageError || (e instanceof Why401Error && e.code === 'CURL_PARSE')) {
    process.stderr.write(`why401: ${await shown(e, argv)}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  process.stderr.write(`why401: internal error: ${await shown(e, argv)} (set WHY401_DEBUG=1 for details)\n`);
  if (process.env.WHY401_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = EXIT.internal;
}

// An error nobody awaited (a stream's 'error' with no listener, a promise left to reject) would
// end the process with Node's own stack trace and exit code 1, which means "auth problem
// diagnosed" here. It ends the same way as one the command threw instead, and at once: what was
// running may be in any state.
const crash = (e: unknown) => {
  void fail(e).finally(() => process.exit());
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

/** Settles once everything written to `stream` so far has been handed to the system (or failed to be). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((ok) => {
    if (stream.destroyed || !stream.writable) ok();
    else stream.write('', () => ok());
  });
}

let settled = false;
main(argv, early)
  // What the run did not take (it failed first, or asked otherwise) must not hold the process up.
  .finally(() => void early?.then((p) => p?.close()))
  .then(
    (code) => {
      settled = true;
      process.exitCode = code;
      // The command is done: end now, once what was written has been flushed. Left to itself the
      // process lingered 20–30 ms after the report on Node 20 and 24 with nothing of ours open
      // (process.getActiveResourcesInfo() named only stdout), a fifth of a warm diagnosis's
      // budget (bench/timeline.mjs, issue 16).
      flushed(process.stdout)
        .then(() => flushed(process.stderr))
        .finally(() => process.exit());
    },
    async (e: unknown) => {
      settled = true;
      await fail(e);
    },
  );
// Nothing left to wait for, and still no answer: a promise of ours that can never settle (a
// stream waited on for an event it does not send). Node would exit 0 in silence, "no auth
// problem"; it is a bug, said as one.
process.once('beforeExit', () => {
  if (!settled) void fail(new Error('the command stopped without an answer'));
});
