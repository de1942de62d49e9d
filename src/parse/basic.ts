/** Basic credentials, RFC 7617: base64(user-id ":" password). */
export type BasicParse =
  | { ok: true; user: string; password: string; /** the decoded bytes were valid UTF-8 with non-ASCII in them */ nonAscii: boolean }
  | { ok: false; problem: 'empty' | 'not-base64' | 'base64url' | 'no-colon' | 'bad-padding'; message: string };

export function parseBasic(_credentials: string): BasicParse {
  throw new Error('not implemented');
}
