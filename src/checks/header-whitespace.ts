import type { Confidence } from '../model/finding.js';
import type { RepairProposal } from './check.js';
import { cleanAuthorization, withAuthorization } from './repair-util.js';
import { defineCheck, type Draft } from './check.js';
import { citeCredential, credentialLabel, headerCredentialTargets } from './credential-util.js';
import { classify } from '../knowledge/placeholder.js';

const NAME: Record<string, string> = {
  ' ': 'space',
  '\t': 'tab',
  '\r': 'carriage return (CR, \\r)',
  '\n': 'line feed (LF, \\n)',
};
// `name=value, …` lists (Digest, AWS SigV4) separate their parameters with ", " by syntax.
const AUTH_PARAMS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=[ \t]*[^=\s]/;
// A scheme word again (header.scheme-repeated reports `Bearer Bearer x`).
const SCHEME_AGAIN = /^["']?(bearer|basic|token|jwt|dpop|digest|negotiate|ntlm)(?=[\s:]|$)/i;

interface Hit {
  pos: number; // 1-based, in code points of the header value
  ch: string;
}

function positions(chars: string[], test: (c: string) => boolean, from = 0, to = chars.length): Hit[] {
  const out: Hit[] = [];
  for (let i = from; i < to; i++)
    if (test(chars[i] as string)) out.push({ pos: i + 1, ch: chars[i] as string });
  return out;
}

function list(hits: Hit[]): string {
  const shown = hits.slice(0, 4).map((h) => `${NAME[h.ch] ?? 'whitespace'} at character ${h.pos}`);
  if (hits.length > 4) shown.push(`${hits.length - 4} more`);
  return shown.join(', ');
}

function plural(n: number, what: string): string {
  return n === 1 ? `a ${what}` : `${n} ${what}s`;
}

/**
 * RFC 9110 §5.5: a field value has no leading or trailing whitespace, and CR, LF and NUL are
 * forbidden in it. RFC 6750 §2.1 / RFC 9110 §11.2: a token has no whitespace inside, and one
 * or more spaces (1*SP) separate the scheme from it.
 */
export default defineCheck(
  {
    id: 'header.whitespace',
    plain: 'The sign-in details contain stray spaces or line breaks (often from copying and pasting)',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.malformed'],
    confirmedBy: ['token.malformed'],
    step: 3,
    kind: 'cause',
    title: 'The credential header has stray whitespace',
    fix: "Strip the value before sending it: `TOKEN=$(tr -d ' \\t\\r\\n' < token.txt)` in a shell, `.trim()` in code.",
    ref: 'RFC 9110 §5.5, §11.4; RFC 6750 §2.1',
  },
  (f) => {
    const out: Draft[] = [];
    for (const { c, scheme } of headerCredentialTargets(f)) {
      const label = credentialLabel(c);
      const Label = label.replace(/^the /, 'The ');
      const evidence = [citeCredential(c)];
      const chars = Array.from(c.value);
      const add = (confidence: Confidence, title: string, detail: string, fix?: string): void => {
        const d: Draft = {
          confidence,
          title,
          detail: detail.replace(/^./, (ch) => ch.toUpperCase()),
          evidence,
        };
        if (fix !== undefined) d.fix = fix;
        out.push(d);
      };

      // CR / LF anywhere: forbidden in a field value.
      const breaks = positions(chars, (ch) => ch === '\r' || ch === '\n');
      if (breaks.length > 0) {
        const atEnd = breaks.every((h, k) => h.pos === chars.length - breaks.length + k + 1);
        const names = [...new Set(breaks.map((h) => (h.ch === '\r' ? 'CR' : 'LF')))].join(' ');
        add(
          'confirmed',
          atEnd
            ? `${Label} ends with a line break (${names})`
            : `${Label} has a line break (${names}) inside it`,
          `${list(breaks)} of ${chars.length}. HTTP forbids CR and LF in a field value (RFC 9110 §5.5): the client refuses to send it, or the server sees a cut-off header. A token read from a file keeps its newline (a Windows file also keeps a CR through \`$(cat token.txt)\`).`,
          "Strip the line break: `TOKEN=$(tr -d '\\r\\n' < token.txt)` in a shell, `.trim()` in code (`fs.readFileSync(…, 'utf8').trim()`).",
        );
      }

      // Leading / trailing spaces and tabs (line breaks at the end are reported above).
      let bodyEnd = chars.length;
      while (bodyEnd > 0 && (chars[bodyEnd - 1] === '\r' || chars[bodyEnd - 1] === '\n')) bodyEnd--;
      const body = chars.slice(0, bodyEnd);
      const isBlank = (ch: string): boolean => ch === ' ' || ch === '\t';
      const start = body.findIndex((ch) => !isBlank(ch));
      if (start < 0) continue; // blank: header.placeholder reports an empty credential
      let firstTrail = body.length;
      while (firstTrail > start && isBlank(body[firstTrail - 1] as string)) firstTrail--;
      const lead = positions(body, isBlank, 0, start);
      const trail = positions(body, isBlank, firstTrail);
      if (lead.length + trail.length > 0) {
        const parts = [
          lead.length > 0
            ? `${plural(lead.length, lead.every((h) => h.ch === '\t') ? 'leading tab' : 'leading space')}`
            : '',
          trail.length > 0
            ? `${plural(trail.length, trail.every((h) => h.ch === '\t') ? 'trailing tab' : 'trailing space')}`
            : '',
        ].filter((p) => p !== '');
        // Only "possible": HTTP parsers drop whitespace around a field value (RFC 9110 §5.5), so
        // most servers never see it; it matters where the raw value is signed, compared or relayed.
        add(
          'possible',
          `${Label} has ${parts.join(' and ')}`,
          `${list([...lead, ...trail])} of ${chars.length}. Servers usually strip it, but it shows a value pasted or joined by hand, and code that compares or signs the raw header sees it.`,
        );
      }

      // Whitespace inside the token, and the gap between scheme and token.
      let tokenStart = start;
      if (scheme) {
        let i = start;
        while (i < firstTrail && !/\s/.test(body[i] as string)) i++;
        const gapStart = i;
        while (i < firstTrail && /\s/.test(body[i] as string)) i++;
        tokenStart = i;
        const gap = body.slice(gapStart, i);
        const word = body.slice(start, gapStart).join('');
        if (
          gap.length > 0 &&
          gap.every((ch) => ch === ' ' || ch === '\t') &&
          (gap.length > 1 || gap[0] === '\t')
        ) {
          const tab = gap.includes('\t');
          // 1*SP is valid (RFC 9110 §11.4), but many servers split on exactly one space; a tab is not SP at all.
          add(
            tab ? 'likely' : 'possible',
            tab
              ? `${Label} separates \`${word}\` from the credentials with a tab`
              : `${Label} has ${gap.length} spaces between \`${word}\` and the credentials`,
            tab
              ? `Characters ${gapStart + 1}–${i}: the grammar (RFC 9110 §11.4) allows only spaces there; many servers split on exactly one space.`
              : `Characters ${gapStart + 1}–${i}. RFC 9110 §11.4 allows 1*SP, but many servers split on exactly one space and then see a token that starts with a space.`,
            `Put exactly one space between \`${word}\` and the credentials: \`Authorization: ${word} <token>\`.`,
          );
        }
      }
      const token = body.slice(tokenStart, firstTrail).join('');
      if (
        token === '' ||
        (c.kind === 'authorization' && (AUTH_PARAMS.test(token) || SCHEME_AGAIN.test(token))) ||
        classify(token) !== undefined // `[object Object]`, `your token here`: header.placeholder's
      )
        continue;
      const inner = positions(body, (ch) => ch === ' ' || ch === '\t', tokenStart, firstTrail);
      if (inner.length > 0) {
        add(
          'confirmed',
          `${Label} has ${plural(inner.length, inner.every((h) => h.ch === '\t') ? 'tab' : 'space')} inside the ${c.kind === 'authorization' ? 'token' : 'key'}`,
          `${list(inner)} of ${chars.length}. A token or key has no whitespace (RFC 6750 §2.1), so the server reads only part of it, or rejects the header. A token copied from a wrapped line or a terminal often breaks like this.`,
          'Copy the token again in one piece (from the token response, not from a wrapped display), and remove the spaces.',
        );
      }
    }
    return out;
  },
  (f): RepairProposal[] => {
    const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    if (!a) return [];
    const fixed = cleanAuthorization(a.value);
    return fixed && fixed !== a.value
      ? [{ change: 'the stray spaces and line breaks removed', request: withAuthorization(f, fixed) }]
      : [];
  },
);
