import { defineCheck } from './check.js';
import { requestHeader } from './cite.js';

const BUILD =
  "Build it as base64 of `user:password`: `printf '%s' 'user:password' | base64`, or let curl do it with `curl -u user:password`. For an API key used as the user name, keep the colon: `curl -u KEY:`.";

/** RFC 7617 §2: credentials = base64(user-id ":" password), base64 per RFC 4648 §4 (standard alphabet, padded). */
export default defineCheck(
  {
    id: 'basic.malformed',
    plain: 'The user name and password are not packed the way the site expects',
    directness: 1,
    absorbs: ['credentials.rejected'],
    step: 3,
    kind: 'cause',
    title: 'The Basic credentials are not base64 of user:password',
    fix: BUILD,
    ref: 'RFC 7617 §2; RFC 4648 §4',
  },
  (f) => {
    const b = f.basic;
    if (!b || b.ok) return;
    const a = f.authorizations[0];
    if (!a) return;
    const creds = a.parsed.credentials.trim();
    const evidence = [requestHeader('Authorization', a.value)];
    let title: string;
    let fix = BUILD;
    switch (b.problem) {
      case 'empty':
        title = 'The Authorization header is `Basic` with nothing after it';
        fix = `The user name and password were empty or unset when the header was built. ${BUILD}`;
        break;
      case 'not-base64':
        // `Basic user:password` sent as plain text is the common slip.
        title = creds.includes(':')
          ? 'The Basic credentials are sent as plain `user:password`, not base64-encoded'
          : 'The Basic credentials are not valid base64';
        break;
      case 'base64url':
        title = 'The Basic credentials use the base64url alphabet (- and _) instead of base64 (+ and /)';
        fix = `Encode with standard base64, not base64url: ${BUILD}`;
        break;
      case 'no-colon':
        title =
          'The Basic credentials decode to a single value with no colon: the user:password pair is incomplete';
        fix = `Encode the user name, a colon and the password together. ${BUILD}`;
        break;
      case 'bad-padding':
        title = 'The Basic credentials have broken base64 padding (cut off or extra characters)';
        break;
    }
    return { confidence: 'confirmed', title, detail: b.message, fix, evidence };
  },
);
