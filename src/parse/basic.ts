/** Basic credentials, RFC 7617: base64(user-id ":" password). */
export type BasicParse =
  | {
      ok: true;
      user: string;
      password: string;
      /** Some decoded byte is >= 0x80 (non-ASCII). Bytes are read as UTF-8; invalid sequences become U+FFFD. */
      nonAscii: boolean;
    }
  | {
      ok: false;
      problem: 'empty' | 'not-base64' | 'base64url' | 'no-colon' | 'bad-padding';
      message: string;
    };

export function parseBasic(credentials: string): BasicParse {
  // Only surrounding spaces and tabs go: a stray CR/LF or other character is itself a finding.
  const s = (typeof credentials === 'string' ? credentials : '').replace(/^[ \t]+|[ \t]+$/g, '');
  if (s === '') return fail('empty', 'The Basic credentials are empty; expected base64 of "user:password".');
  // RFC 7617 §2 uses base64 with the standard alphabet and padding (RFC 4648 §4).
  const bad = /[^A-Za-z0-9+/=_-]/.exec(s);
  if (bad) {
    return fail(
      'not-base64',
      `The Basic credentials contain ${JSON.stringify(bad[0])} at position ${bad.index + 1}, which is not a base64 character.`,
    );
  }
  if (/[-_]/.test(s)) {
    return fail(
      'base64url',
      'The Basic credentials use the base64url alphabet ("-" or "_"); Basic needs standard base64 ("+" and "/").',
    );
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    return fail(
      'bad-padding',
      `The Basic credentials are ${s.length} characters long or have "=" in the wrong place; base64 comes in blocks of 4 characters, padded with "=" at the end.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return fail('not-base64', 'The Basic credentials are not valid base64.');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const colon = text.indexOf(':');
  if (colon < 0) {
    return fail(
      'no-colon',
      'The decoded Basic credentials have no ":"; expected "user:password" (RFC 7617 §2), so the password or the separator is missing.',
    );
  }
  return {
    ok: true,
    user: text.slice(0, colon),
    password: text.slice(colon + 1),
    nonAscii: bytes.some((b) => b >= 0x80),
  };
}

function fail(problem: Extract<BasicParse, { ok: false }>['problem'], message: string): BasicParse {
  return { ok: false, problem, message };
}
