import { defineCheck, type Draft } from './check.js';
import type { RepairProposal } from './check.js';
import { cleanAuthorization, withAuthorization } from './repair-util.js';
import { citeCredential, credentialLabel, headerCredentialTargets } from './credential-util.js';

type Group = 'quote' | 'invisible' | 'bom' | 'nbsp' | 'ellipsis' | 'dash' | 'control' | 'other';

const KNOWN: Record<number, [string, Group]> = {
  0x201c: ['LEFT DOUBLE QUOTATION MARK', 'quote'],
  0x201d: ['RIGHT DOUBLE QUOTATION MARK', 'quote'],
  0x2018: ['LEFT SINGLE QUOTATION MARK', 'quote'],
  0x2019: ['RIGHT SINGLE QUOTATION MARK', 'quote'],
  0x201e: ['DOUBLE LOW-9 QUOTATION MARK', 'quote'],
  0x00ab: ['LEFT-POINTING DOUBLE ANGLE QUOTATION MARK', 'quote'],
  0x00bb: ['RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK', 'quote'],
  0x200b: ['ZERO WIDTH SPACE', 'invisible'],
  0x200c: ['ZERO WIDTH NON-JOINER', 'invisible'],
  0x200d: ['ZERO WIDTH JOINER', 'invisible'],
  0x2060: ['WORD JOINER', 'invisible'],
  0x00ad: ['SOFT HYPHEN', 'invisible'],
  0x200e: ['LEFT-TO-RIGHT MARK', 'invisible'],
  0x200f: ['RIGHT-TO-LEFT MARK', 'invisible'],
  0xfeff: ['BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE)', 'bom'],
  0x00a0: ['NO-BREAK SPACE', 'nbsp'],
  0x202f: ['NARROW NO-BREAK SPACE', 'nbsp'],
  0x2007: ['FIGURE SPACE', 'nbsp'],
  0x2026: ['HORIZONTAL ELLIPSIS', 'ellipsis'],
  0x2013: ['EN DASH', 'dash'],
  0x2014: ['EM DASH', 'dash'],
  0x2010: ['HYPHEN', 'dash'],
  0x2011: ['NON-BREAKING HYPHEN', 'dash'],
  0x2212: ['MINUS SIGN', 'dash'],
  0x007f: ['DELETE', 'control'],
  0x0000: ['NULL', 'control'],
  0x001b: ['ESCAPE', 'control'],
};

const WHY: Record<Group, string> = {
  quote: 'Typographic quotes: a word processor, chat app or web page replaced straight quotes.',
  invisible:
    'Invisible characters: they come along when a value is copied from a web page, a chat message or a PDF.',
  bom: 'A byte order mark: the value was read from a file saved as "UTF-8 with BOM".',
  nbsp: 'A no-break space: copied from a web page or a rich-text editor.',
  ellipsis:
    'An ellipsis: the token was copied truncated from a UI that shortens long values; the rest of it is missing.',
  dash: 'A dash where a hyphen (-) belongs: copied from a document whose editor turns hyphens into dashes.',
  control: 'A control character: terminal or binary garbage in the value.',
  other:
    'A non-ASCII character: tokens and keys are ASCII (RFC 6750 §2.1), so a value holding one cannot match.',
};

const FIX: Partial<Record<Group, string>> = {
  ellipsis:
    "Copy the whole token with the UI's copy button (or from the token response), not the shortened text on screen.",
  bom: 'Save the file as UTF-8 without BOM, or strip it: `sed -i "1s/^\\xEF\\xBB\\xBF//" token.txt`.',
};

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function nameOf(cp: number): [string, Group] {
  const known = KNOWN[cp];
  if (known) return [`${known[0]} (${hex(cp)})`, known[1]];
  if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0)) return [`control character ${hex(cp)}`, 'control'];
  return [`${hex(cp)} "${String.fromCodePoint(cp)}"`, 'other'];
}

const TYPO_QUOTES = [0x201c, 0x201d, 0x2018, 0x2019, 0x201e, 0x00ab, 0x00bb];

/**
 * RFC 9110 §5.5: field values are visible ASCII (0x21–0x7E), spaces and tabs; other octets are
 * "obs-text" that servers treat as opaque, and RFC 6750 §2.1 / RFC 9110 §11.2 allow only ASCII
 * letters, digits and `-._~+/=` in a token. Spaces, tabs, CR and LF are header.whitespace's.
 */
export default defineCheck(
  {
    id: 'header.non-ascii',
    plain: 'The sign-in details contain unusual characters (often from copying and pasting)',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.malformed'],
    confirmedBy: ['token.malformed'],
    step: 3,
    kind: 'cause',
    title: 'The credential contains non-ASCII characters',
    fix: 'Copy the value again as plain text, or retype the odd characters; `printf \'%s\' "$TOKEN" | od -c` shows what is hidden in it.',
    ref: 'RFC 9110 §5.5, §11.2; RFC 6750 §2.1',
  },
  (f) => {
    const out: Draft[] = [];
    for (const { c, scheme } of headerCredentialTargets(f)) {
      const cps = Array.from(c.value, (ch) => ch.codePointAt(0) ?? 0);
      // Typographic quotes that wrap the value or the token are header.quoted's to report.
      const ends = new Set<number>();
      const first = cps.findIndex((cp) => cp !== 0x20 && cp !== 0x09);
      let last = cps.length - 1;
      while (last >= 0 && [0x20, 0x09, 0x0d, 0x0a].includes(cps[last] as number)) last--;
      ends.add(first).add(last);
      if (scheme) {
        let i = first;
        while (i < cps.length && ![0x20, 0x09].includes(cps[i] as number)) i++;
        while (i < cps.length && [0x20, 0x09].includes(cps[i] as number)) i++;
        ends.add(i);
      }
      const hits: Array<{ pos: number; name: string; group: Group }> = [];
      cps.forEach((cp, i) => {
        if (cp >= 0x21 && cp <= 0x7e) return;
        if (cp === 0x20 || cp === 0x09 || cp === 0x0d || cp === 0x0a) return;
        if (TYPO_QUOTES.includes(cp) && ends.has(i)) return;
        const [name, group] = nameOf(cp);
        hits.push({ pos: i + 1, name, group });
      });
      if (hits.length === 0) continue;
      const Label = credentialLabel(c).replace(/^the /, 'The ');
      const only = hits.length === 1 ? hits[0] : undefined;
      const groups = [...new Set(hits.map((h) => h.group))];
      const listed = hits
        .slice(0, 6)
        .map((h) => `${h.name} at character ${h.pos}`)
        .concat(hits.length > 6 ? [`${hits.length - 6} more`] : []);
      const fixes = groups.map((g) => FIX[g]).filter((x): x is string => x !== undefined);
      const d: Draft = {
        confidence: 'confirmed',
        title: only
          ? `${Label} contains ${only.name} at character ${only.pos}`
          : `${Label} contains ${hits.length} non-ASCII characters`,
        detail: [
          `${listed.join('; ')} (of ${cps.length}).`.replace(/^./, (ch) => ch.toUpperCase()),
          ...groups.map((g) => WHY[g]),
        ].join('\n'),
        evidence: [citeCredential(c)],
      };
      if (fixes.length > 0) d.fix = fixes.join(' ');
      out.push(d);
    }
    return out;
  },
  (f): RepairProposal[] => {
    const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    if (!a) return [];
    const fixed = cleanAuthorization(a.value);
    return fixed && fixed !== a.value
      ? [{ change: 'the invisible and typographic characters removed', request: withAuthorization(f, fixed) }]
      : [];
  },
);
