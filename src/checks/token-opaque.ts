import { schemeHintOf, tokenPrefixOf, type TokenPrefix } from '../knowledge/token-prefixes.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { requestHeader } from './cite.js';
import { classify } from '../knowledge/placeholder.js';
import { isRefused } from './idp-util.js';

/**
 * A bearer token that is not a JWT is opaque (RFC 6749 §1.4, §7.1): only its issuer can say
 * whether it is valid, for whom, and until when. why401 says so instead of finding it "fine", names
 * what its prefix shows (src/knowledge/token-prefixes.ts), and points to the ways to ask: the
 * vendor's own "who am I" request, or RFC 7662 introspection (--introspect-url). A prefix that
 * shows a mistake of its kind (a publishable key, a refresh token, a key id that is not a token, a
 * test-mode key) gets its own words: a possible cause when the request was refused.
 */

function howToCheck(p: TokenPrefix | undefined, introspected: boolean): string {
  const lines: string[] = [];
  if (p?.sendAs) lines.push(`${p.vendor} takes it ${p.sendAs}.`);
  if (p?.whoami) lines.push(`Ask ${p.vendor} whose it is and whether it is valid: ${p.whoami}.`);
  if (!introspected)
    lines.push(
      p
        ? 'If your own authorization server issued it, ask it with --introspect-url <its RFC 7662 introspection endpoint> --client-id … --client-secret ….'
        : 'Ask the server that issued it: --introspect-url <its RFC 7662 introspection endpoint> --client-id … --client-secret … says whether it is active, for whom and until when.',
    );
  return lines.join('\n');
}

function misuseDraft(
  f: Parameters<typeof isRefused>[0],
  p: TokenPrefix,
  evidence: Draft['evidence'],
): Draft[] {
  const out: Draft[] = [];
  // Sent and refused: the mistake may be why. Alone (why401 token) or accepted: worth knowing.
  const refused = f.ev.source !== 'token' && isRefused(f);
  if (p.misuse)
    out.push({
      kind: refused ? 'cause' : 'warning',
      confidence: 'possible',
      title: `The credential is ${p.misuse.title} (${p.vendor}, \`${p.prefix}…\`)`,
      detail: p.misuse.detail,
      fix: p.misuse.fix,
      evidence,
    });
  if (p.testMode)
    out.push({
      kind: 'warning',
      confidence: 'possible',
      title: `The credential is a ${p.name} (\`${p.prefix}…\`): it sees only ${p.vendor}'s test-mode data`,
      detail: `${p.vendor} keeps test mode and live mode apart: each has its own keys, and objects of one mode are not visible to the other. Where live data is meant, a test-mode key fails.`,
      fix: `Where live data is meant, use the live-mode key (\`${p.prefix.replace('_test_', '_live_')}…\`); keep test keys for test data.`,
      evidence,
    });
  return out;
}

export default defineCheck(
  {
    id: 'token.opaque',
    plain:
      'The sign-in token cannot be read here: only the service that issued it can say whether it is valid',
    directness: 6,
    step: 3,
    kind: 'info',
    title: 'The token is not a JWT: it cannot be checked offline',
    fix: 'Ask the issuer: its "who am I" request, or RFC 7662 introspection with --introspect-url.',
    ref: 'RFC 6749 §1.4, §7.1; RFC 7662; docs in src/knowledge/token-prefixes.ts',
    applies: (f) => {
      if (f.token?.decode) return 'the token is a JWT: the token and jwt checks read it';
      if (!f.token && !schemeHintOf(f.authorizations[0]?.schemeLower))
        return 'no bearer token was sent (one Authorization header with Bearer, DPoP or no scheme)';
      return undefined;
    },
  },
  (f): Draft[] | undefined => {
    const only = f.authorizations.length === 1 ? f.authorizations[0] : undefined;
    const hint = schemeHintOf(only?.schemeLower);
    const t = f.token;
    if (!only || (!t && !hint)) return;
    if (t?.decode) return;
    const value = t?.value ?? only.parsed.credentials.trim();
    if (!value) return;
    // A truncated or placeholder value is a mistake of its own (token.malformed, header.placeholder).
    if (/(?:…|\.\.\.)$/.test(value)) return;
    const p = hint ?? tokenPrefixOf(value);
    // A placeholder is header.placeholder's; one shaped like a vendor's token still says whose.
    const placeholder = classify(value) !== undefined;
    if (placeholder && !p) return;
    const evidence = [requestHeader('Authorization', only.value)];
    const introspection = f.ev.idp?.introspection;
    const introspected = introspection !== undefined;
    const what = p ? `${/^[AEIOU]/.test(p.name) ? 'an' : 'a'} ${p.name}` : '';
    const title = p
      ? `The token is ${what} (\`${p.prefix}…\`): not a JWT, so it cannot be checked offline`
      : `The token is not a JWT (a value of ${value.length} characters): it cannot be checked offline`;
    const detail = [
      p
        ? `Its prefix ${p.prefix} marks ${what} (source: ${p.source}). Such a token is opaque: nothing in it says who it belongs to, what it may do or when it expires; only ${p.vendor} can say.`
        : 'An opaque token (RFC 6749 §1.4) carries no readable claims: nothing in it says who it belongs to, what it may do or when it expires; only the server that issued it can say. No prefix names a vendor.',
      introspected ? `Introspection at ${introspection.url} was asked (see its finding, if any).` : '',
      howToCheck(p, introspected),
    ]
      .filter((s) => s !== '')
      .join('\n');
    const out: Draft[] = [
      {
        kind: 'info',
        confidence: 'confirmed',
        title,
        detail,
        fix: p?.whoami
          ? `Ask ${p.vendor}: ${p.whoami}.`
          : 'Ask the issuer: RFC 7662 introspection with --introspect-url, or the API provider\'s own "who am I" request.',
        evidence,
      },
    ];
    if (p && !placeholder) out.push(...misuseDraft(f, p, evidence));
    return out;
  },
);
