import type { EvidenceItem } from '../model/finding.js';
import { classify } from '../knowledge/placeholder.js';
import { defineCheck, type Draft } from './check.js';
import { citeCredential, credentialLabel, schemeWord } from './credential-util.js';
import type { SentCredential } from '../facts/request.js';

/** A credential that is a placeholder is never accepted; saying which kind says where it came from. */
export default defineCheck(
  {
    id: 'header.placeholder',
    plain:
      'A placeholder (like ${TOKEN}) was sent instead of the real sign-in details: a setting was never filled in',
    directness: 1,
    absorbs: [
      'credentials.rejected',
      'server.gateway-rejected',
      'token.malformed',
      'credentials.not-received',
    ],
    confirmedBy: ['token.malformed', 'credentials.missing'],
    step: 3,
    kind: 'cause',
    title: 'A placeholder was sent instead of the credential',
    fix: 'Replace the placeholder with the real token or key.',
    ref: 'RFC 6750 §2.1',
  },
  (f) => {
    const out: Draft[] = [];
    const push = (c: SentCredential, value: string, evidence: EvidenceItem, scheme?: string): void => {
      // `Basic` with nothing after it is basic.malformed's to report.
      if (value === '' && scheme?.toLowerCase() === 'basic') return;
      const k = classify(value);
      if (!k) return;
      const Label = credentialLabel(c).replace(/^the /, 'The ');
      const title =
        value === '' && scheme !== undefined
          ? `${Label} is \`${scheme}\` with nothing after it`
          : value === ''
            ? `${Label} is empty`
            : k.quote
              ? `${Label} sends ${k.what} \`${value}\`, not a credential`
              : `${Label} sends ${k.what}, not the credential`;
      out.push({ confidence: 'confirmed', title, detail: k.why, fix: k.fix, evidence: [evidence] });
    };
    for (const a of f.authorizations) {
      const word = schemeWord(a);
      const value = a.value.trim();
      const lead = word !== undefined ? /^\S+\s+/.exec(value) : null;
      const creds = word !== undefined ? (lead ? value.slice(lead[0].length) : '') : value;
      const c: SentCredential = { kind: 'authorization', name: 'Authorization', value: a.value };
      push(c, creds.replace(/^["']|["']$/g, ''), citeCredential(c), word);
    }
    for (const c of f.credentials) {
      if (c.kind !== 'api-key-header' && c.kind !== 'api-key-query') continue;
      push(c, c.value.trim().replace(/^["']|["']$/g, ''), citeCredential(c));
    }
    return out;
  },
);
