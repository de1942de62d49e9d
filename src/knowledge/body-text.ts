/**
 * A response body as lines of text, for matching servers' own words: scripts, styles and tags
 * dropped, entities decoded, whitespace collapsed, blank lines gone. Only the first 64 KiB is read:
 * error pages say what they say near the top.
 */
const MAX_BODY = 64 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(m: string, e: string): string {
  const named = ENTITIES[e.toLowerCase()];
  if (named !== undefined) return named;
  const code = /^#x/i.test(e) ? parseInt(e.slice(2), 16) : e.startsWith('#') ? parseInt(e.slice(1), 10) : NaN;
  return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
}

export function bodyLines(body: string): string[] {
  return body
    .slice(0, MAX_BODY)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '\n')
    .replace(/<br\s*\/?>|<\/(?:p|div|pre|h\d|li|tr|title|td|center|address)\s*>|<hr\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, decodeEntity)
    .split(/\r?\n/)
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l.length > 0);
}
