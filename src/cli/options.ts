import type { ArgsOptions } from '../diagnose/request.js';
import type { FreshCredentials } from '../probe/plan-idp.js';
import { UsageError } from './errors.js';
import { OWN_FLAGS } from './own-flags.js';
import { unknownOption } from './suggest.js';

export interface OwnOptions {
  json?: boolean;
  markdown?: boolean;
  /** Also write a self-contained HTML report to this file. */
  html?: string;
  showSecrets?: boolean;
  probes: boolean;
  repairs: boolean;
  offline?: boolean;
  /** --no-cache: false; the disk cache of identity-provider documents is used otherwise. */
  cache?: boolean;
  allowReplay?: boolean;
  /** --allow-private-fetch: discovery, JWKS and metadata may reach private and loopback addresses. */
  allowPrivateFetch?: boolean;
  expectIssuer?: string;
  expectAudience?: string;
  expectScope?: string[];
  from?: string;
  /** Also write the evidence (secrets replaced) to this file, for `--from` later. */
  saveEvidence?: string;
  issuer?: string;
  origin?: string;
  /** --openapi FILE|URL: read by the command (cli/diagnose.ts), not by requestOptions. */
  openapi?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  refreshToken?: string;
  introspectUrl?: string;
  color: boolean;
  quiet?: boolean;
  serve?: boolean;
  /**
   * Where `$VAR` in a pasted command expands from. Set by the CLI (its own environment, as the
   * shell the command was written for would expand it); never by the page, whose server must not
   * put its environment into a request. Not a flag.
   */
  pasteEnv?: Readonly<Record<string, string | undefined>>;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Parses why401's own flags from the OWN_FLAGS table (the same table the help text and the argument
 * splitter read). A small parser of our own rather than commander: it is all this needs, and
 * loading commander cost 15 ms before the first request could leave.
 */
export function parseOwn(args: string[], extra: { serve?: boolean } = {}): OwnOptions {
  const o: Record<string, unknown> = { probes: true, repairs: true, color: true };
  const flags = extra.serve ? [...OWN_FLAGS, { name: 'serve', takesValue: false, help: '' }] : OWN_FLAGS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const f = flags.find((x) => x.name === name);
    if (!f)
      throw unknownOption(
        name,
        flags.map((x) => x.name),
        '(see why401 --help)',
      );
    if (!f.takesValue) {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      // --no-probes and --no-color switch a default off, as their names say.
      if (name.startsWith('no-')) o[camel(name.slice(3))] = false;
      else o[camel(name)] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i];
    if (value === undefined)
      throw new UsageError(
        `option '--${name} ${'value' in f && f.value ? f.value : '<value>'}' argument missing`,
      );
    const key = camel(name);
    if ('repeatable' in f && f.repeatable) o[key] = [...((o[key] as string[] | undefined) ?? []), value];
    else o[key] = value;
  }
  return validate(o as unknown as OwnOptions);
}

function validate(o: OwnOptions): OwnOptions {
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

/** --from and --save-evidence are about one request's evidence: another command refuses them. */
export function requestOnly(o: OwnOptions, command: string): void {
  const given =
    o.from !== undefined ? '--from' : o.saveEvidence !== undefined ? '--save-evidence' : undefined;
  if (given)
    throw new UsageError(`${given} works with one request (why401 <url> …), not with why401 ${command}`);
}

/**
 * The options of one diagnosis, as the library takes them: what the flags said, nothing more
 * (the environment, local files and standard input are added by the command that runs it).
 */
export function requestOptions(o: OwnOptions): ArgsOptions {
  const expect: NonNullable<ArgsOptions['expect']> = {};
  if (o.expectIssuer) expect.issuer = o.expectIssuer;
  if (o.expectAudience) expect.audience = o.expectAudience;
  if (o.expectScope) expect.scopes = o.expectScope;
  const r: ArgsOptions = {
    expect,
    probes: o.probes,
    repairs: o.repairs,
    offline: o.offline ?? false,
    allowReplay: o.allowReplay ?? false,
    showSecrets: o.showSecrets ?? false,
    idp: freshOf(o),
  };
  if (o.origin) r.origin = o.origin;
  if (o.pasteEnv) r.pasteEnv = o.pasteEnv;
  return r;
}

function freshOf(o: OwnOptions): FreshCredentials {
  const f: FreshCredentials = {};
  if (o.issuer) f.issuer = o.issuer;
  if (o.tokenUrl) f.tokenUrl = o.tokenUrl;
  if (o.clientId) f.clientId = o.clientId;
  if (o.clientSecret) f.clientSecret = o.clientSecret;
  if (o.scope) f.scope = o.scope;
  if (o.refreshToken) f.refreshToken = o.refreshToken;
  if (o.introspectUrl) f.introspectUrl = o.introspectUrl;
  if (o.allowPrivateFetch) f.allowPrivateFetch = true;
  return f;
}
