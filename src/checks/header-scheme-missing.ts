import { defineCheck, type Draft } from './check.js';
import type { RepairProposal } from './check.js';
import { withAuthorization } from './repair-util.js';
import { requestHeader } from './cite.js';
import { looksLikeBasicPair, schemeWord, shapeOf } from './credential-util.js';
import { classify } from '../knowledge/placeholder.js';

// A scheme written straight against the token, with a colon or nothing between (`Bearer:eyJ…`, `BearereyJ…`).
const GLUED = /^(bearer|basic|token|jwt|dpop)(:|=|(?=eyJ))/i;
// Quotes that header.quoted reports; a quoted `"Bearer x"` still has its scheme.
const OPENING_QUOTES = /^["'\u201C\u201D\u2018\u2019]+/;

/**
 * RFC 9110 §11.6.2 / §11.4: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`.
 * Without a scheme the server reads the token's first characters as the scheme name, so it
 * finds an unknown scheme and no credentials.
 */
export default defineCheck(
  {
    id: 'header.scheme-missing',
    plain: 'The sign-in details were sent without the word that says what kind they are (like "Bearer")',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'credentials.not-received'],
    confirmedBy: ['credentials.missing'],
    step: 3,
    kind: 'cause',
    title: 'The Authorization header has no scheme',
    fix: "Put the scheme in front of the token: `-H 'Authorization: Bearer <token>'` (curl's `--oauth2-bearer <token>` adds `Bearer` for you).",
    ref: 'RFC 9110 §11.6.2, §11.4; RFC 6750 §2.1',
  },
  (f) => {
    const out: Draft[] = [];
    for (const a of f.authorizations) {
      const value = a.value.trim();
      if (value === '' || schemeWord(a) !== undefined) continue;
      // `Authorization: undefined` is a placeholder, not a token without its scheme.
      if (classify(value.replace(/^["']|["']$/g, '')) !== undefined) continue;
      const unquoted = value.replace(OPENING_QUOTES, '');
      if (unquoted !== value && schemeWord({ ...a, value: unquoted }) !== undefined) continue;
      const evidence = [requestHeader('Authorization', a.value)];

      const glued = GLUED.exec(value);
      if (glued) {
        const scheme = glued[1] as string;
        out.push({
          confidence: 'confirmed',
          title: `The scheme \`${scheme}\` is glued to the credentials with no space after it`,
          detail: `The header starts \`${scheme}${glued[2] ?? ''}\` and goes straight on into the credentials; the scheme must be followed by one space, so the server sees one long unknown word.`,
          fix: `Write \`Authorization: ${scheme} <credentials>\`, with exactly one space and no colon after \`${scheme}\`.`,
          evidence,
        });
        continue;
      }

      const basic = looksLikeBasicPair(value);
      const isJwt = value.startsWith('eyJ');
      // A few APIs take a bare key in Authorization; a JWT, or a server that names a scheme in
      // its challenge, leaves no doubt.
      const named = f.challenges.challenges.length > 0 || (f.anonymousChallenges?.challenges.length ?? 0) > 0;
      const detail = [
        `The value is ${shapeOf(value)} with no scheme word before it. RFC 9110 reads Authorization as "scheme SP credentials", so the server takes the start of the token for an unknown scheme.`,
      ];
      if (basic)
        detail.push('The value is base64 of "user:password" text, so it is meant as Basic credentials.');
      out.push({
        confidence: isJwt || basic || named ? 'confirmed' : 'likely',
        title: basic
          ? 'The Authorization header holds Basic credentials with no `Basic` scheme in front'
          : `The Authorization header holds ${shapeOf(value)} with no scheme in front`,
        detail: detail.join('\n'),
        fix: basic
          ? 'Send `Authorization: Basic <base64 of user:password>`, or let curl build it: `curl -u user:password`.'
          : "Send `Authorization: Bearer <token>`: in curl `-H 'Authorization: Bearer <token>'` or `--oauth2-bearer <token>`.",
        evidence,
      });
    }
    return out;
  },
  (f): RepairProposal[] => {
    const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    if (!a || schemeWord(a) !== undefined) return [];
    const value = a.value.trim();
    if (!value || classify(value.replace(/^["']|["']$/g, '')) !== undefined) return [];
    const glued = GLUED.exec(value);
    const fixed = glued
      ? `${glued[1]} ${value.slice(glued[0].length).trim()}`
      : `${looksLikeBasicPair(value) ? 'Basic' : 'Bearer'} ${value}`;
    return [
      {
        change: `the scheme \`${fixed.split(' ')[0]}\` in front of the token`,
        request: withAuthorization(f, fixed),
      },
    ];
  },
);
