/**
 * XML text and attribute values for the JUnit report. XML 1.0 forbids most control characters
 * even as character references (§2.2 Char), so they are dropped rather than escaped; the five
 * markup characters are escaped everywhere (https://www.w3.org/TR/xml/#syntax).
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function xml(s: string): string {
  return s.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
