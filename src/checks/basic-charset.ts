import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { requestHeader, responseHeader } from './cite.js';

const NON_ASCII = /[^\x00-\x7F]/gu;

/**
 * RFC 7617 §2.1: without `charset="UTF-8"` in the server's Basic challenge the encoding of a
 * non-ASCII user name or password is unspecified: clients send UTF-8 or Latin-1 (or the
 * terminal's encoding), and servers decode as they like, so the password does not match.
 */
export default defineCheck(
  {
    id: 'basic.charset',
    plain: 'The user name or password has accented or special letters the site may not read correctly',
    directness: 2,
    absorbs: ['credentials.rejected'],
    step: 3,
    kind: 'cause',
    title: 'Non-ASCII Basic credentials, and the server does not announce UTF-8',
    fix: 'Use an ASCII-only password for API access, or have the server announce `WWW-Authenticate: Basic realm="…", charset="UTF-8"` and decode UTF-8. curl sends the bytes as your terminal typed them.',
    ref: 'RFC 7617 §2.1',
  },
  (f) => {
    const b = f.basic;
    if (!b?.ok) return;
    const userOdd = b.user.match(NON_ASCII) ?? [];
    const passOdd = b.password.match(NON_ASCII) ?? [];
    if (!b.nonAscii && userOdd.length + passOdd.length === 0) return;

    const seen = [
      ...f.challenges.challenges.map((c) => ({ c, x: f.final })),
      ...(f.anonymousChallenges?.challenges ?? []).map((c) => ({ c, x: f.anonymous })),
    ].filter(({ c }) => c.schemeLower === 'basic');
    const basics = seen.map(({ c }) => c);
    if (basics.some((c) => c.params['charset']?.toLowerCase() === 'utf-8')) return;

    const evidence: EvidenceItem[] = [requestHeader('Authorization', f.authorizations[0]?.value ?? '')];
    for (const { c, x } of seen) if (x) evidence.push(responseHeader(x, 'WWW-Authenticate', c.raw));
    // Never the password itself: only how many of its characters are non-ASCII.
    const parts: string[] = [];
    if (userOdd.length > 0)
      parts.push(
        `the user name "${b.user}" has ${userOdd.length} non-ASCII character${userOdd.length === 1 ? '' : 's'} (${[...new Set(userOdd)].join(' ')})`,
      );
    if (passOdd.length > 0)
      parts.push(`the password has ${passOdd.length} non-ASCII character${passOdd.length === 1 ? '' : 's'}`);
    if (parts.length === 0)
      parts.push('the decoded credentials hold bytes that are not valid UTF-8 (likely Latin-1)');
    const which =
      userOdd.length > 0 && passOdd.length > 0
        ? 'user name and password'
        : userOdd.length > 0
          ? 'user name'
          : 'password';
    return {
      // Without any Basic challenge we cannot tell what the server would offer.
      confidence: basics.length > 0 ? 'likely' : 'possible',
      title: `The Basic ${which} contain${which === 'user name and password' ? '' : 's'} non-ASCII characters, and the server does not announce UTF-8`,
      detail: [
        `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
        basics.length > 0
          ? `The server's Basic challenge has no charset="UTF-8" (RFC 7617 §2.1), so it may decode the bytes as Latin-1 or another encoding, and the password does not match.`
          : 'No Basic challenge was seen, so the server does not announce charset="UTF-8" (RFC 7617 §2.1); the encoding it expects is unknown.',
      ].join('\n'),
      evidence,
    };
  },
);
