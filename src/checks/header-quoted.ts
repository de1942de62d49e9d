import type { EvidenceItem } from '../model/finding.js';
import type { RepairProposal } from './check.js';
import { cleanAuthorization, withAuthorization } from './repair-util.js';
import { defineCheck, type Draft } from './check.js';
import { citeCredential, credentialLabel, schemeWord } from './credential-util.js';

const QUOTES = `"'\`\u201C\u201D\u2018\u2019\u201E\u00AB\u00BB`;
const NAMES: Record<string, string> = {
  '"': 'double quotes (")',
  "'": "single quotes (')",
  '`': 'backticks (`), as in Markdown',
  '\u201C': 'typographic quotes (\u201C \u201D)',
  '\u201D': 'typographic quotes (\u201C \u201D)',
  '\u201E': 'typographic quotes (\u201E \u201C)',
  '\u2018': 'typographic single quotes (\u2018 \u2019)',
  '\u2019': 'typographic single quotes (\u2018 \u2019)',
  '\u00AB': 'guillemets (\u00AB \u00BB)',
  '\u00BB': 'guillemets (\u00AB \u00BB)',
};
// `name=value` lists (Digest, AWS SigV4): quotes are part of their syntax (RFC 9110 §11.2).
const AUTH_PARAMS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=[ \t]*[^=\s]/;

interface Quoting {
  where: 'wrapped' | 'start' | 'end';
  char: string;
}

function quoting(text: string): Quoting | undefined {
  const chars = Array.from(text);
  const first = chars[0];
  const last = chars.at(-1);
  const opens = first !== undefined && QUOTES.includes(first);
  const closes = last !== undefined && QUOTES.includes(last) && chars.length > 1;
  if (opens && closes) return { where: 'wrapped', char: first };
  if (opens) return { where: 'start', char: first };
  if (closes) return { where: 'end', char: last };
  return undefined;
}

function describe(q: Quoting, label: string): string {
  const what = label.replace(/^the /, 'The ');
  if (q.where === 'wrapped') return `${what} is wrapped in ${NAMES[q.char] ?? 'quotes'}`;
  return `${what} has a stray ${q.char} at the ${q.where}`;
}

/**
 * RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=";
 * RFC 9110 §11.2 token68 likewise: no quote character can be part of a token, so the server
 * compares a value that includes the quotes, and no token matches it.
 */
export default defineCheck(
  {
    id: 'header.quoted',
    plain: 'The sign-in token was sent with quote marks around it',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.malformed'],
    confirmedBy: ['token.malformed'],
    step: 3,
    kind: 'cause',
    title: 'The credential is wrapped in quotes',
    fix: 'Send the token without quotes: `Authorization: Bearer <token>`. Quotes usually come from a .env file read by a loader that keeps them (Docker `--env-file`), a JSON string copied with its quotes, or nested shell quoting like `"Bearer \\"$TOKEN\\""`.',
    ref: 'RFC 6750 §2.1; RFC 9110 §11.2, §11.4',
  },
  (f) => {
    const out: Draft[] = [];
    const push = (q: Quoting, label: string, evidence: EvidenceItem, part: string): void => {
      out.push({
        confidence: 'confirmed',
        title: describe(q, label),
        detail: `A token never contains quote characters (RFC 6750 §2.1, RFC 9110 §11.2), so the server takes the ${q.char} as part of the ${part} and it matches nothing.`,
        evidence: [evidence],
      });
    };
    for (const a of f.authorizations) {
      const value = a.value.trim();
      const whole = quoting(value);
      if (whole && whole.where !== 'end') {
        // `"Bearer x"`: the quotes enclose the scheme too.
        push(
          whole,
          'the whole Authorization value',
          citeCredential({ kind: 'authorization', name: 'Authorization', value: a.value }),
          'scheme',
        );
        continue;
      }
      const lead = schemeWord(a) !== undefined ? /^\S+\s+/.exec(value) : null;
      const creds = lead ? value.slice(lead[0].length) : value;
      if (creds === '' || AUTH_PARAMS.test(creds)) continue;
      const q = quoting(creds);
      if (q)
        push(
          q,
          'the Authorization credential',
          citeCredential({ kind: 'authorization', name: 'Authorization', value: a.value }),
          'token',
        );
    }
    for (const c of f.credentials) {
      if (c.kind !== 'api-key-header' && c.kind !== 'api-key-query') continue;
      const q = quoting(c.value.trim());
      if (q) push(q, `the value of ${credentialLabel(c)}`, citeCredential(c), 'key');
    }
    return out;
  },
  (f): RepairProposal[] => {
    const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    if (!a) return [];
    const fixed = cleanAuthorization(a.value);
    return fixed && fixed !== a.value
      ? [{ change: 'the quotes around the token removed', request: withAuthorization(f, fixed) }]
      : [];
  },
);
