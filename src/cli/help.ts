import { CURL_FLAGS } from '../parse/curl.js';
import { OWN_FLAGS } from './own-flags.js';

const col = (left: string, help: string) => `  ${left.padEnd(30)} ${help}`;

export function helpText(): string {
  const own = OWN_FLAGS.map((f) => col(`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help));
  const curl = CURL_FLAGS.map((f) =>
    col(`${f.short ? `-${f.short}, ` : '    '}--${f.long}${f.takesValue ? ' <v>' : ''}`, f.help),
  );
  return `why401: finds out why an HTTP request is refused with 401 or 403, and says what to change.

Usage
  why401 [options] <url> [curl flags…]     diagnose a request given with curl's flags
  why401 [options] curl <pasted curl command…>
                                           diagnose a pasted "Copy as cURL" command (or "curl -" to read it from stdin)
  why401 token <jwt|@file|->               inspect a token (claims in plain words), then verify it against its issuer
  why401 har FILE.har                      diagnose every 401/403 of a browser capture, and what the whole session shows
  why401 har --sanitize IN.har OUT.har     a copy safe to share: secrets replaced, the diagnosis unchanged
  why401 diff GOOD.har BAD.har             what differs, for auth, between a working and a failing request
  why401 ui [--no-open] [--port N]         the same diagnosis as a local web page (paste a request or token, drop a HAR)
  why401 guide <url> [curl flags…]         the five checks of a 401, step by step in plain words, with questions for you
  why401 guide curl <pasted command…>      the same from a pasted curl command (--no-questions: ask nothing)
  why401 demo [--serve]                    diagnose the broken endpoints of an embedded local server
  why401 echo [--port N] [--json]          a server that shows exactly what arrived: put it behind a proxy, CDN or gateway

Examples
  why401 https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  why401 --json curl 'https://api.example.com/v1/me' -H 'authorization: Bearer …' --compressed
  pbpaste | why401 curl -
  why401 https://api.example.com/v1/items -u alice:s3cret --markdown
  why401 https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…' \\
         --issuer https://login.example.com --client-id cli --scope 'read'   # also try a fresh token
  why401 token @token.txt --expect-audience https://api.example.com
  why401 demo

Options (why401's own; they go before \`curl\` in the curl form)
${own.join('\n')}
  -h, --help                     this help
  --version                      the version

Curl flags understood (others are ignored with a warning)
${curl.join('\n')}

Exit codes
  0  no auth problem found        1  an auth problem was diagnosed
  2  bad usage or unreadable input 3  the target could not be reached at all

Secrets are shown as fingerprints (eyJhbG…(sha256:1a2b3c)) unless --show-secrets is given.
Probes never send your credentials to another origin, and never resend POST/PUT/PATCH/DELETE
without --allow-replay.
`;
}
