import { CURL_FLAGS } from '../parse/curl/index.js';
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
  why401 audit <base-url> --openapi FILE   score an API's auth layer: every operation called, the answers checked against the RFCs
  why401 demo [--serve]                    diagnose the broken endpoints of an embedded local server
  why401 echo [--port N] [--json]          a server that shows exactly what arrived: put it behind a proxy, CDN or gateway

Examples
  why401 https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  why401 --json curl 'https://api.example.com/v1/me' -H 'authorization: Bearer …' --compressed
  pbpaste | why401 curl -
  why401 https://api.example.com/v1/items -u alice:s3cret --markdown
  why401 https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…' \\
         --issuer https://login.example.com --client-id cli --scope 'read'   # also try a fresh token
  why401 --origin https://app.example.com https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  why401 --save-evidence ev.json https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  why401 --from ev.json                    # the same diagnosis again, offline
  why401 token @token.txt --expect-audience https://api.example.com
  why401 demo

Options (why401's own: put them before the URL, and before \`curl\` in the curl form)
${own.join('\n')}
  -h, --help                     this help
  --version                      the version

Curl flags understood (others are ignored with a warning)
${curl.join('\n')}

Exit codes
  0  no auth problem found           1  an auth problem was diagnosed
  2  bad usage or unreadable input   3  the target could not be reached at all (DNS, connect, TLS, timeout)
  4  a bug in why401 itself (one line; WHY401_DEBUG=1 shows the stack)

Each command has its own help: why401 <command> --help (har, diff, guide, audit, demo, token, echo, ui, curl).

Secrets are shown as fingerprints (eyJhbG…(sha256:1a2b3c)) unless --show-secrets is given.
Probes never send your credentials to another origin, and never resend POST/PUT/PATCH/DELETE
without --allow-replay.
`;
}

const EXIT_LINE =
  'Exit codes: 0 no auth problem, 1 an auth problem diagnosed, 2 bad usage, 3 unreachable, 4 a bug in why401.';

/** Help of one command (`why401 har --help`): what it does, its usage, its options, examples. */
const COMMANDS: Record<string, string> = {
  curl: `why401 curl: diagnose a pasted "Copy as cURL" command (Chrome, Firefox, Safari, Postman; line
continuations, $'…' quoting and Windows ^" pastes are understood).

Usage
  why401 [options] curl <pasted command…>
  why401 [options] curl -                  read the paste from standard input (end it with Ctrl-D)

Everything after \`curl\` belongs to the pasted command (curl's own --json <data> and -h included):
put why401's options (why401 --help) before \`curl\`.

Examples
  why401 curl 'https://api.example.com/v1/me' -H 'authorization: Bearer eyJ…' --compressed
  why401 curl "curl 'https://api.example.com/v1/me' -H 'authorization: Bearer eyJ…'"
  pbpaste | why401 --json curl -
  why401 --markdown curl -                 # paste, Ctrl-D, get a block for a support ticket

${EXIT_LINE}
`,
  har: `why401 har: every 401/403 of a browser capture diagnosed offline, and what only the whole session
shows (a cookie held but not sent, a refresh loop, a replaced token still in use, …).

Usage
  why401 har FILE.har [--json | --markdown] [--html FILE] [--show-secrets] [--quiet]
  why401 har --sanitize IN.har OUT.har     a copy safe to share: secrets replaced, JWT claims kept

Examples
  why401 har ~/Downloads/app.example.com.har
  why401 har capture.har --json > har-report.json
  why401 har --sanitize capture.har shared.har && why401 har shared.har

Exit codes: 0 no auth problem (requests that got no answer, e.g. blocked by an ad blocker or
cancelled by the page, are listed but are not one), 1 an auth problem diagnosed (a proxy's 407
too), 2 bad usage, a file that is not a HAR, or --sanitize of a file that is not whole (nothing
is written then).
`,
  diff: `why401 diff: what differs, for auth, between a request that works and one that does not: headers,
cookies, token claims, origin, redirects, proxies. Nothing is sent.

Usage
  why401 diff GOOD.har BAD.har [--json]    the first failing entry of BAD against its match in GOOD
  why401 diff "curl …" "curl …" [--json]   two pasted curl commands, compared as written

Examples
  why401 diff works.har fails.har
  why401 diff "curl https://api.example.com/me -H 'Authorization: Bearer eyJ…'" \\
              "curl https://api.example.com/me -H 'Authorization: eyJ…'"

Exit codes: 0 no difference that matters, 1 differences found, 2 bad usage or an unreadable file.
`,
  guide: `why401 guide: the five steps of a 401 in plain words, for people who are not developers: what
why401 checked by itself, questions only you can answer (y / n / Enter), advice, and a block to send
to support.

Usage
  why401 guide [options] <url> [curl flags…]
  why401 guide [options] curl <pasted command…>   (curl - reads it from standard input)

Options: why401's (why401 --help), and
  --no-questions                 print the checks, advice and support block; ask nothing

Examples
  why401 guide https://portal.example.com/account -b 'session=…'
  why401 guide --no-questions https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  printf 'y\\nn\\n' | why401 guide --markdown curl "curl 'https://api.example.com/v1/me' -H '…'"

${EXIT_LINE}
`,
  audit: `why401 audit: scores an API's auth layer before its users hit it. Every operation of the
OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1) or each --path is called without credentials, with a
malformed one, with an expired-looking token, with --token-low and --token, as a browser's CORS
preflight, and with the token in the query string; the answers are checked against RFC 9110, 6750,
9111, 9457 and 9728, and the issuer's discovery document and JWKS are checked too. The report gives
a score per category (0-100) and each finding with its evidence, the RFC it cites and the fix.

Usage
  why401 audit <base-url> [--openapi FILE|URL] [--path METHOD:/path …] [--token T|@file]
               [--token-low T|@file] [--header 'Name: value' …] [--allow-unsafe]
               [--fail-under N] [--format text|json|markdown|html|junit|sarif] [--insecure]
               [--allow-private-fetch]

  --openapi FILE|URL    the document; a URL is fetched by why401 itself, and $refs to other files
                        or URLs are never followed
  --path METHOD:/path   an operation to call (repeatable); with --openapi, only these are audited
  --token T             a token good for every operation (expects 2xx; also tried in ?access_token=)
  --token-low T         a valid token without the operations' scopes (expects 403 insufficient_scope)
  --allow-unsafe        also call POST, PUT, PATCH and DELETE operations, with an empty or {} body
  --fail-under N        exit 1 when the score is below N (as well as on any error or warning)
  --format F            the report's format: text (by default), json, markdown (a CI job summary),
                        html (one self-contained page), junit (JUnit XML for CI test reports),
                        sarif (SARIF 2.1.0 for code-scanning pages)

Only GET, HEAD and OPTIONS are sent unless --allow-unsafe; at most 8 requests are in flight to one
host. Tokens are never printed: they appear as fingerprints, as in every why401 output.

Examples
  why401 audit https://api.example.com --openapi openapi.yaml --token @token.txt --token-low @low.txt
  why401 audit https://api.example.com/v1 --path GET:/me --path GET:/orders --format json
  why401 audit https://api.example.com --openapi https://api.example.com/openapi.json --fail-under 90
  why401 audit "$API_URL" --openapi openapi.yaml --token "$TOKEN" --format sarif > why401.sarif

Exit codes: 0 no finding above info, 1 a finding above info or a score below --fail-under,
2 bad usage or an unreadable document, 3 the API could not be reached, 4 a bug in why401.
`,
  demo: `why401 demo: an embedded local server (127.0.0.1) with deliberately broken endpoints, each
diagnosed live: a tour of what why401 finds, with no API of your own at hand.

Usage
  why401 demo [--json] [--html FILE] [--no-probes]
  why401 demo --serve                      keep the server up and print a command to try for each endpoint

Examples
  why401 demo
  why401 demo --serve                      # then paste one of the printed commands in another terminal
  why401 demo --html demo.html

Exit codes: 0 every endpoint diagnosed as expected, 1 otherwise, 2 bad usage.
`,
  token: `why401 token: a token inspected on its own (claims and times in plain words, what is wrong
with it), then verified against its issuer's keys (discovery and JWKS need only its iss; the token
itself is sent nowhere).

Usage
  why401 token <jwt | @file | -> [--expect-issuer URL] [--expect-audience AUD] [--expect-scope S]
               [--issuer URL] [--offline] [--json | --markdown] [--html FILE]

Examples
  why401 token eyJhbGciOiJSUzI1NiIs…
  why401 token @token.txt --expect-audience https://api.example.com
  pbpaste | why401 token - --offline --json

${EXIT_LINE}
`,
};

/** The help of one command; the general help for a name that is not one. */
export function commandHelp(name: string): string {
  return COMMANDS[name] ?? helpText();
}
