import { defineCheck, type Draft } from './check.js';
import type { RepairProposal } from './check.js';
import { cleanAuthorization, withAuthorization } from './repair-util.js';
import { requestHeader } from './cite.js';
import { headerOrigin, schemeWord } from './credential-util.js';

// A scheme word again at the start of the credentials, followed by a space, a colon or nothing.
const AGAIN = /^["']?(bearer|basic|token|jwt|dpop|digest|negotiate|ntlm)(?=[\s:]|$)/i;

/**
 * RFC 9110 §11.4: one scheme, then the credentials. `Bearer Bearer x` mostly comes from a token
 * variable that already holds `Bearer x`, or from curl's `--oauth2-bearer` given `Bearer x`.
 */
export default defineCheck(
  {
    id: 'header.scheme-repeated',
    plain: 'The word that says what kind of sign-in it is appears twice',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.malformed'],
    confirmedBy: ['token.malformed'],
    step: 3,
    kind: 'cause',
    title: 'The Authorization header names its scheme twice',
    fix: 'Remove the second scheme word: the token variable already starts with `Bearer `, and the code adds it again.',
    ref: 'RFC 9110 §11.4; RFC 6750 §2.1',
  },
  (f) => {
    const out: Draft[] = [];
    f.authorizations.forEach((a, i) => {
      const first = schemeWord(a);
      if (first === undefined) return;
      const lead = /^[ \t]*\S+\s+/.exec(a.value);
      if (!lead) return;
      const rest = a.value.slice(lead[0].length);
      const again = AGAIN.exec(rest)?.[1];
      if (again === undefined) return;
      const same = again.toLowerCase() === first.toLowerCase().replace(/:$/, '');
      const viaFlag = headerOrigin(f, 'authorization', i) === 'oauth2-bearer';
      out.push({
        confidence: 'confirmed',
        title: same
          ? `The Authorization header says \`${first}\` twice (\`${first} ${again} …\`)`
          : `The Authorization header holds two schemes (\`${first} ${again} …\`)`,
        detail: `The server reads \`${first}\` as the scheme and \`${again} …\` as the credentials, which therefore start with the word "${again}" and a space: no token matches that.`,
        fix: viaFlag
          ? `curl's \`--oauth2-bearer\` adds \`Bearer \` itself: pass only the token (\`--oauth2-bearer <token>\`, not \`--oauth2-bearer "${again} <token>"\`).`
          : same
            ? `Remove the second \`${again}\`: the token variable already starts with \`${again} \` and the code adds it again (\`Authorization: ${first} $TOKEN\` with TOKEN="${again} …"). Send \`Authorization: ${first} <token>\`.`
            : `Send one scheme only: \`Authorization: ${again} <credentials>\` if these are ${again} credentials, else \`Authorization: ${first} <token>\`.`,
        evidence: [requestHeader('Authorization', a.value)],
      });
    });
    return out;
  },
  (f): RepairProposal[] => {
    const a = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    if (!a) return [];
    const fixed = cleanAuthorization(a.value);
    return fixed && fixed !== a.value
      ? [{ change: 'the scheme written once', request: withAuthorization(f, fixed) }]
      : [];
  },
);
