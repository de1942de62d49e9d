import { parse as shellParse } from 'shell-quote';
import { curlPasteWords, isCurlPaste, lookupCurlFlag } from '../parse/curl/index.js';
import { looksRandom } from '../knowledge/credential-rule.js';
import {
  addCredential,
  addFromBody,
  addFromHeaders,
  addFromText,
  addFromUrl,
  type SecretSink,
} from './secrets.js';

/**
 * The secrets a command line holds, found by the options they were given with: a value that came
 * from a credential option is a secret whatever it looks like, and the warnings and errors that
 * quote an argument (an unknown flag, a header that cannot be sent) must not print it. Part of the
 * one credential rule (credential-rule.ts), for what the evidence never records. Platform-neutral.
 */

/**
 * curl's options whose value is (or holds) a credential, from curl's manual
 * (https://curl.se/docs/manpage.html): -u/--user and -U/--proxy-user `user:password`,
 * --oauth2-bearer, --pass and --proxy-pass (a private key's pass phrase), --tlspassword and
 * --proxy-tlspassword (TLS-SRP), and -E/--cert and --proxy-cert `file:password`.
 */
export const CURL_CREDENTIAL_OPTIONS: Readonly<Record<string, 'user:password' | 'whole' | 'file:password'>> =
  {
    user: 'user:password',
    'proxy-user': 'user:password',
    'oauth2-bearer': 'whole',
    pass: 'whole',
    'proxy-pass': 'whole',
    tlspassword: 'whole',
    'proxy-tlspassword': 'whole',
    cert: 'file:password',
    'proxy-cert': 'file:password',
  };

/** Options whose value is a request header (`Name: value`), a cookie string, a URL, or a body. */
const HEADER_OPTIONS = new Set(['header', 'proxy-header']);
const URL_OPTIONS = new Set(['url', 'referer', 'proxy', 'preproxy', 'doh-url']);
const BODY_OPTIONS = new Set([
  'data',
  'data-raw',
  'data-binary',
  'data-ascii',
  'data-urlencode',
  'json',
  'url-query',
  'form',
  'form-string',
  'variable',
]);

/** An unknown option whose name says it carries a credential (`--proxy-passwd`, `--token`): its next word is taken as one. */
const CREDENTIAL_SOUNDING = /pass|auth|token|secret|key|bearer|cred|sig/i;

/** One of why401's own options, as own-flags.ts lists them. */
export interface OwnOption {
  name: string;
  takesValue: boolean;
  /** Its value is a credential (--client-secret, --refresh-token). */
  secret?: boolean;
}

function addUserPassword(r: SecretSink, value: string): void {
  const colon = value.indexOf(':');
  if (colon < 0) {
    // A user alone is a name, unless it is a key (Stripe's `-u sk_live_…:` without the colon).
    if (looksRandom(value)) addCredential(r, value);
    return;
  }
  const user = value.slice(0, colon);
  addCredential(r, value.slice(colon + 1));
  r.add(value);
  if (looksRandom(user)) addCredential(r, user);
}

function addOptionValue(r: SecretSink, long: string, value: string): void {
  const kind = CURL_CREDENTIAL_OPTIONS[long];
  if (kind === 'whole') addCredential(r, value);
  else if (kind === 'user:password') addUserPassword(r, value);
  else if (kind === 'file:password') {
    // `C:\certs\me.pem:secret`: a drive letter's colon is no separator; `\:` escapes one in the name.
    const m = /^(?:[A-Za-z]:[\\/])?(?:[^:\\]|\\.)*:(.+)$/s.exec(value);
    if (m) addCredential(r, m[1]!);
  } else if (HEADER_OPTIONS.has(long)) {
    if (value.startsWith('@')) return;
    const colon = value.indexOf(':');
    if (colon > 0) addFromHeaders(r, [[value.slice(0, colon).trim(), value.slice(colon + 1).trim()]]);
  } else if (long === 'cookie') {
    if (value.includes('=')) addFromHeaders(r, [['Cookie', value]]);
  } else if (URL_OPTIONS.has(long)) addFromText(r, value);
  else if (BODY_OPTIONS.has(long)) {
    if (value.startsWith('@')) return;
    addFromBody(r, value.replace(/^\+/, ''));
  }
}

/**
 * The words of a pasted command (`curl 'https://…' -H …`): curl's arguments as the paste reader
 * finds them (after prompts, comments, a pipeline); when it cannot read them, read as a shell
 * would, roughly: enough to find its options.
 */
function words(command: string): string[] {
  const pasted = curlPasteWords(command);
  if (pasted) return pasted;
  let text = command.replace(/\\\r?\n/g, ' ');
  // cmd.exe's caret escapes (Chrome's "Copy as cURL (cmd)"): ^" is a quote, ^^ a caret.
  if (/\^"/.test(text)) text = text.replace(/\^(.)/g, '$1');
  try {
    return shellParse(text, (name) => `$${name}`).flatMap((w) =>
      typeof w === 'string' ? [w] : 'pattern' in w ? [w.pattern] : [],
    );
  } catch {
    return text.split(/\s+/);
  }
}

const WHOLE_CURL = /^\s*(?:\$\s+)?curl(?:\.exe)?\s/i;

/** A whole pasted command in one argument: the paste reader's recogniser (or, roughly, `curl …`). */
function isWholeCurl(text: string): boolean {
  return WHOLE_CURL.test(text) || (/\s/.test(text) && isCurlPaste(text));
}

function walk(args: readonly string[], own: readonly OwnOption[], r: SecretSink, depth: number): void {
  let flagsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!flagsEnded && a === '--') {
      flagsEnded = true;
      continue;
    }
    if (!flagsEnded && a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const mine = own.find((f) => f.name === name);
      const curl = lookupCurlFlag(`--${name}`) ?? lookupCurlFlag(`--${name.replace(/^(?:no-|expand-)/, '')}`);
      const f = mine ?? curl;
      if (!f) {
        // An unknown option is echoed by a warning ("unknown curl flag --x=… ignored"): its value
        // is hidden whatever it is; a next word only when the name says it is a credential.
        if (eq >= 0) addCredential(r, a.slice(eq + 1));
        else if (CREDENTIAL_SOUNDING.test(name) && i + 1 < args.length && !args[i + 1]!.startsWith('-'))
          addCredential(r, args[++i]!);
        continue;
      }
      if (!f.takesValue) {
        // "--compressed takes no value: "…" ignored" quotes it.
        if (eq >= 0) addCredential(r, a.slice(eq + 1));
        continue;
      }
      const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) continue;
      if (mine) {
        if (mine.secret) addCredential(r, value);
        else addFromText(r, value);
      } else addOptionValue(r, curl!.long, value);
      continue;
    }
    if (!flagsEnded && a.startsWith('-') && a.length > 1) {
      // A cluster of short flags (-sSL); one that takes a value takes the rest of the cluster or the next word.
      for (let j = 1; j < a.length; j++) {
        const f = lookupCurlFlag(`-${a.charAt(j)}`);
        if (!f?.takesValue) continue;
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value !== undefined) addOptionValue(r, f.long, value);
        break;
      }
      continue;
    }
    // A positional word: a URL, or a whole pasted command in one argument.
    if (depth === 0 && isWholeCurl(a)) walk(words(a), own, r, 1);
    else {
      addFromUrl(r, a);
      addFromText(r, a);
    }
  }
}

/**
 * Every secret in a command line (curl's arguments, why401's own options among them, or a whole
 * pasted `curl …` command as one argument), as the credential rule sees them.
 */
export function argumentSecrets(args: readonly string[], own: readonly OwnOption[] = []): string[] {
  const found = new Set<string>();
  walk(args, own, { add: (s) => void (s && s.trim() !== '' && found.add(s.trim())) }, 0);
  return [...found];
}

/** The same for a pasted command read from standard input. */
export function commandSecrets(command: string): string[] {
  return argumentSecrets([isWholeCurl(command) ? command : `curl ${command}`]);
}
