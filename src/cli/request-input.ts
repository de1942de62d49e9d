import { jarCookieExpired, jarCookieMatches } from '../core/jar.js';
import type { RequestSpec } from '../model/evidence.js';
import { parseCookieJar, looksLikeCookieJar } from '../parse/cookie-jar.js';
import { parseCurlArgs, parseCurlCommand, type CurlParse } from '../parse/curl.js';
import { UsageError } from './errors.js';
import { readInput } from './io.js';

/** The request to diagnose, from the direct form's arguments or a pasted curl command. */
export function requestFromArgs(mode: 'direct' | 'curl', rest: string[]): CurlParse {
  if (rest.length === 0) {
    throw new UsageError(
      mode === 'curl'
        ? 'no curl command after `curl` (paste it, or use `curl -` to read it from stdin)'
        : 'no URL given (try why401 --help)',
    );
  }
  if (mode === 'curl' && rest.length === 1 && rest[0] === '-') {
    return parseCurlCommand(readInput('-', 'standard input'));
  }
  // A whole paste given as one argument: `why401 curl "curl 'https://…' -H …"`.
  if (mode === 'curl' && rest.length === 1 && /^\s*curl\s/.test(rest[0]!)) return parseCurlCommand(rest[0]!);
  return parseCurlArgs(rest);
}

/**
 * curl reads -H @file, -b FILE and -d @file itself; the platform-neutral parser only names the
 * files, and this resolves them. Expired jar cookies are kept as evidence but not sent, as curl does.
 */
export function resolveFiles(spec: RequestSpec, warnings: string[], now: number): void {
  const files = spec.files;
  if (!files) return;
  for (const f of files.headerFiles) {
    for (const line of readInput(f, 'header file').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        spec.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).replace(/^[ \t]+/, '')]);
        spec.headerOrigins?.push('header');
      }
    }
  }
  for (const f of files.cookieFiles) {
    const text = readInput(f, 'cookie file');
    if (!looksLikeCookieJar(text)) {
      warnings.push(`cookie file ${f} is not in the Netscape cookie-jar format; ignored`);
      continue;
    }
    const jar = parseCookieJar(text);
    warnings.push(...jar.warnings.map((w) => `${f}: ${w}`));
    spec.cookieJar = [...(spec.cookieJar ?? []), ...jar.cookies];
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      continue;
    }
    const live = jar.cookies.filter((c) => jarCookieMatches(c, url) && !jarCookieExpired(c, now));
    if (live.length) {
      spec.headers.push(['Cookie', live.map((c) => `${c.name}=${c.value}`).join('; ')]);
      spec.headerOrigins?.push('cookie');
    }
  }
  if (files.dataFiles.length && spec.body === undefined) {
    spec.body = files.dataFiles.map((f) => readInput(f, 'data file').replace(/\r?\n/g, '')).join('&');
  }
}
