/**
 * Text from elsewhere (a server's headers and body, a token's claims, a HAR file, an error that
 * quotes a server) must not drive the terminal it is printed on: an ESC starts a control sequence
 * that can clear the screen, move the cursor over earlier lines or retitle the window, a C1 CSI
 * (U+009B) does the same on terminals that read C1 controls, and a bidi override (U+202E) makes
 * text read differently from what it is (CVE-2021-42574, "Trojan Source"). The text renderers pass
 * every value through here before adding their own styling, so our colours stay colours and
 * everything else is shown as a visible escape.
 *
 * Escaped: C0 controls except line feed and tab (which the renderers lay out), DEL, C1 controls
 * (U+0080–U+009F), and the bidi controls U+200E, U+200F, U+202A–U+202E, U+2066–U+2069
 * (Unicode UAX #9 §2). JSON output is data and is left to JSON.stringify.
 */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0x7f
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One string, with every control character above written as `\x1b` or `\u202e`. */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, visible);
}

/**
 * Every string in a plain-data value (a report, a HAR report, a list of differences), escaped:
 * one pass at a renderer's entry covers each field, including those added after this was written.
 */
export function terminalSafeDeep<T>(v: T): T {
  if (typeof v === 'string') return terminalSafe(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => terminalSafeDeep(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      out[terminalSafe(k)] = terminalSafeDeep(x);
    return out as T;
  }
  return v;
}
