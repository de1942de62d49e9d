import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { OWN_FLAGS } from './own-flags.js';

export interface OwnOptions {
  json?: boolean;
  markdown?: boolean;
  showSecrets?: boolean;
  probes: boolean;
  offline?: boolean;
  allowReplay?: boolean;
  expectIssuer?: string;
  expectAudience?: string;
  expectScope?: string[];
  from?: string;
  issuer?: string;
  origin?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  refreshToken?: string;
  introspectUrl?: string;
  color: boolean;
  quiet?: boolean;
  serve?: boolean;
}

/** Parses why401's own flags with commander, turning its errors into one-line usage errors. */
export function parseOwn(args: string[], extra: { serve?: boolean } = {}): OwnOptions {
  const cmd = new Command('why401')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .helpOption(false);
  for (const f of OWN_FLAGS) {
    const flag = `--${f.name}${f.takesValue ? ` ${f.value ?? '<value>'}` : ''}`;
    if (f.repeatable) cmd.option(flag, f.help, (v: string, prev: string[] = []) => [...prev, v]);
    else cmd.option(flag, f.help);
  }
  if (extra.serve) cmd.option('--serve', 'keep the demo server running');
  try {
    cmd.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new UsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  if (cmd.args.length) throw new UsageError(`unexpected argument ${JSON.stringify(cmd.args[0])}`);
  const o = cmd.opts<OwnOptions>();
  if (o.json && o.markdown) throw new UsageError('--json and --markdown cannot be used together');
  for (const k of ['issuer', 'tokenUrl', 'introspectUrl', 'origin'] as const) {
    const v = o[k];
    if (v !== undefined && !/^https?:\/\/[^/]/i.test(v))
      throw new UsageError(
        `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs an http(s) URL, not ${JSON.stringify(v)}`,
      );
  }
  if ((o.tokenUrl || o.refreshToken || o.introspectUrl) && !o.clientId) {
    throw new UsageError('a fresh token or introspection needs --client-id (and usually --client-secret)');
  }
  o.clientSecret ??= process.env.WHY401_CLIENT_SECRET || undefined;
  return o;
}

/** Colour on a TTY unless NO_COLOR (https://no-color.org) or --no-color says otherwise. */
export function useColor(o: OwnOptions, stream: NodeJS.WriteStream): boolean {
  return o.color && stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
