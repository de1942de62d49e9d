import { headerValue } from '../../model/http.js';
import type { AuthzInput } from './types.js';

/** Small pure helpers the platform readers share. */

/** The member at a path of a JSON value (`at(json, 'error', 'message')`), or undefined. */
export function at(json: unknown, ...path: Array<string | number>): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A string member, trimmed, or undefined. */
export function str(json: unknown, ...path: Array<string | number>): string | undefined {
  const v = at(json, ...path);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** `$.error.message` for a quote's `from`. */
export function jsonFrom(...path: Array<string | number>): string {
  return `json $${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

export function header(input: AuthzInput, name: string): string | undefined {
  const v = headerValue(input.headers, name);
  return v === undefined ? undefined : v.trim();
}

export function urlOf(input: AuthzInput): URL | undefined {
  try {
    return new URL(input.url);
  } catch {
    return undefined;
  }
}

/** Quotes a value for a POSIX shell when it needs it (ARNs and names usually do not). */
export function sh(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The text of an XML element, first occurrence (`<Message>…</Message>`), entities decoded. */
export function xmlText(body: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(body);
  if (!m) return undefined;
  return m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
