/**
 * Identifiers inside metadata are compared as strings, exactly: RFC 8414 §3.3 and OpenID Connect
 * Discovery §4.3 for `issuer`, RFC 9728 §3.3 for `resource`. When they differ, people need to see
 * how, since `https://a` and `https://a/` look the same at a glance.
 */

function parse(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}

/** In words, how `got` (inside the document) differs from `want` (what it was fetched for). */
export function urlDifference(got: string, want: string): string {
  if (got === `${want}/`) return 'a trailing slash the document adds';
  if (want === `${got}/`) return 'a trailing slash the document leaves out';
  const g = parse(got);
  const w = parse(want);
  if (!g) return 'the document’s value is not a URL';
  if (!w) return 'the expected value is not a URL';
  const parts: string[] = [];
  if (g.protocol !== w.protocol)
    parts.push(`scheme ${g.protocol.slice(0, -1)} vs ${w.protocol.slice(0, -1)}`);
  if (g.host !== w.host) parts.push(`host ${g.host} vs ${w.host}`);
  if (g.pathname !== w.pathname) parts.push(`path ${g.pathname} vs ${w.pathname}`);
  if (g.search !== w.search) parts.push(`query ${g.search || '(none)'} vs ${w.search || '(none)'}`);
  if (parts.length === 0) return 'spelling only: the same URL once normalized, but the comparison is exact';
  return parts.join(', ');
}

/** One sentence for a document whose identifier is not the one asked for, or undefined when equal. */
export function identifierProblem(
  field: string,
  got: unknown,
  want: string,
  spec: string,
): string | undefined {
  if (got === want) return undefined;
  if (typeof got !== 'string') return `the document has no "${field}" string (${spec})`;
  return `${field} inside is ${got} but it was fetched for ${want}: they differ in ${urlDifference(got, want)} (${spec} requires an exact match)`;
}
