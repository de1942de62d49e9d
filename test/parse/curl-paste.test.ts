import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CurlParseError,
  type CurlParseOptions,
  isCurlPaste,
  parseCurlCommand,
} from '../../src/parse/curl/index.js';

/**
 * Pasted commands as people bring them (issue 14, Deliver 3), read as the shell they were written
 * for reads them. The pastes are verbatim from /work/briefs/issue14/curl-corpus.md (source above
 * each); the expected bodies of the bash ones are what real curl 7.88.1 sent when bash ran them
 * here (recorder on 127.0.0.1). cmd and PowerShell ones follow their documented rules (no Windows
 * here to run them).
 */
const CORPUS: Record<string, string> = {
  // vfaronov/httpolice doc/quickstart.rst @0008cb746798 lines 72-76
  'docs-prompt-ps2-1':
    "  $ curl -ksi \\\n  >   -X PATCH https://eve-demo.herokuapp.com/people/5ab12b10662d240004d08b31 \\\n  >   -H 'Content-Type: application/json' \\\n  >   -H 'If-Match: 9f5cdb43a57b04abe342f6a425260f5e6adae359' \\\n  >   -d '{\"firstname\": \"John\"}'",
  // public code index file id 31030241632 (blog post; repository not disclosed by find_string); Firefox 147 'Copy as cURL (Windows)' pasted after a C:\> prompt
  'firefox-cmd-windows-prompt':
    'C:\\>curl.exe ^"https://community.akamai.steamstatic.com/public/javascript/applications/community/manifest.js?v=nbKNVX6KpsXN^&l=english^&_cdn=akamai^" ^\n   -H ^"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:147.0) Gecko/20100101 Firefox/147.0^" ^\n   -H ^"Accept: */*^" ^\n   -H ^"Accept-Language: en-US,en;q=0.9^" ^\n   -H ^"Accept-Encoding: gzip, deflate, br, zstd^" ^\n   -H ^"Sec-Fetch-Storage-Access: none^" ^\n   -H ^"Connection: keep-alive^" ^\n   -H ^"Referer: https://steamcommunity.com/^" ^\n   -H ^"Sec-Fetch-Dest: script^" ^\n   -H ^"Sec-Fetch-Mode: no-cors^" ^\n   -H ^"Sec-Fetch-Site: cross-site^" ^\n   -H ^"Priority: u=2^" ^\n   -H ^"Pragma: no-cache^" ^\n   -H ^"Cache-Control: no-cache^" ^\n   -O NUL',
  // curlconverter/curlconverter test/fixtures/curl_commands/bash_redirect.sh @6dec0fe534cd
  'cc:bash_redirect.sh':
    '# https://github.com/curlconverter/curlconverter/issues/316\ncurl -H "X-Requested-With: curl" -H "Content-Type: text/xml" -u "USER:PASS" -X "POST" --data-binary @- "http://localhost:28139/api/2.0/fo/auth/unix/?action=create&title=UnixRecord&username=root&password=abc123&ips=10.10.10.10" < add_params.xml',
  // codyaverett/fractional-art-challenge practical/scripts/getAccessKeys.sh (code search opening)
  'chrome-real-authorization':
    "#!/bin/bash\n\ncurl 'http://127.0.0.1:8080/get/access_keys' \\\n  -H 'Accept-Language: en-US,en;q=0.9' \\\n  -H 'Connection: keep-alive' \\\n  -H 'Authorization: 123456789' \\\n  -H 'Referer: http://127.0.0.1:8080' \\\n  -H 'Sec-Fetch-Dest: empty' \\\n  -H 'Sec-Fetch-Mode: cors' \\\n  -H 'Sec-Fetch-Site: same-origin' \\\n  -H 'Sec-GPC: 1' \\\n  -H 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.79 Safari/537.36' \\\n  -H 'accept: application/json' \\\n  --compressed",
  // curlconverter/curlconverter test/fixtures/curl_commands/broken_cookie.sh @6dec0fe534cd
  'cc:broken_cookie.sh': "#!/usr/bin/env sh\n\ncurl -i 'http://localhost:8888/' -b 'a=b; c'",
  // enrique-lol/project2-nspire curl-scripts/examples/index.sh (code search opening)
  'shell-env-comment-braced':
    '#!/bin/sh\n# TOKEN=\'4e700561c4386478a94396388a63baf5\' sh curl-scripts/examples/index.sh\n# Fully version 1 operational as of 01/07.\n\nAPI="http://localhost:4741"\nURL_PATH="/examples"\n\ncurl "${API}${URL_PATH}" \\\n  --include \\\n  --request GET \\\n  --header "Authorization: Bearer ${TOKEN}"\n\necho',
  // ThePoShWolf/Curl2PS Tests/Invoke-Curl2PS.Tests.ps1 @74e8500ceaa7 line 24
  'powershell-curl-exe': 'curl.exe https://theposhwolf.com',
  // ChromeDevTools/devtools-frontend front_end/panels/network/NetworkLogView.test.ts @039eaf720d1e (expected string, JS literal decoded)
  'chrome-bash-empty-header':
    "curl 'http://localhost' \\\n  -H 'header-with-value: some value' \\\n  -H 'no-value-header;'",
  // ChromeDevTools/devtools-frontend front_end/panels/network/NetworkLogView.test.ts @039eaf720d1e (expected string, JS literal decoded)
  'chrome-cmd-caret-newlines':
    'curl ^"http://localhost^" -b ^"query=evil^\n\n^\n\n ^& cmd /c calc.exe ^\n\n^\n\n^"',
  // curlconverter/curlconverter test/fixtures/curl_commands/pipelines.sh @6dec0fe534cd
  'cc:pipelines.sh':
    'echo foo | curl localhost:28139\necho foo | curl localhost:28139 | echo foo | curl localhost:28139\ncurl localhost:28139 | echo foo | echo bar | curl localhost:28139',
  // scheleaap/dev-notes curl.md (code search opening)
  'shell-pipeline-stdin':
    'cat data.json | curl -X POST "http://localhost:8080/" -H "Content-Type:application/json" -d @-',
  // scheleaap/dev-notes curl.md (code search opening)
  'shell-pipeline-binary-stdin':
    'cat MT940.txt | curl -X POST "http://localhost:8080/" -H "Content-Type:application/mt940" --data-binary @-',
  // curl/curl docs/MANUAL.md @curl-7_88_1 line 185
  'docs-manual-185': 'curl -L https://apt.llvm.org/llvm-snapshot.gpg.key | sudo apt-key add -',
  // curlconverter/curlconverter test/fixtures/curl_commands/redirect_command_data.sh @6dec0fe534cd
  'cc:redirect_command_data.sh': 'curl localhost:28139 --data-binary foo --data @- < `echo myfile.jg`',
  // romilsingal23/Golden-image Fetch_projects.py (code search opening)
  'shell-var-from-cmdsubst':
    'ACCESS_TOKEN=$(gcloud auth print-access-token)\ncurl -X POST \\\n  -H "Authorization: Bearer $ACCESS_TOKEN" \\\n  -H "Content-Type: application/json" \\\n  https://cloudresourcemanager.googleapis.com/v3/projects:list \\\n  -d \'{}\'',
  // atecce/www auth/test_musickit.sh (code search opening)
  'shell-nested-curl-cmdsubst':
    '#!/bin/bash\n\nADDR="https://$(gcloud compute addresses describe auth --region us-east1 --format=\'value(address)\')"\necho $ADDR\n\nBEARER=$(curl -k $ADDR/music)\necho $BEARER\n\ncurl -v -H "Authorization: Bearer $BEARER" "https://api.music.apple.com/v1/catalog/us/songs/203709340"',
  // curlconverter/curlconverter test/fixtures/curl_commands/get_with_env_var.sh @6dec0fe534cd
  'cc:get_with_env_var.sh':
    'curl -X GET -H "Content-Type: application/json" -H "Authorization: Bearer $DO_API_TOKEN" "http://localhost:28139/v2/images?type=distribution"',
  // ga-wdi-boston/rails-api scripts/get-examples.sh (code search opening)
  'shell-braced-vars':
    '#!/bin/bash\n\nAPI="${API_ORIGIN:-http://localhost:4741}"\nURL_PATH="/examples"\ncurl "${API}${URL_PATH}" \\\n  --include \\\n  --request GET \\\n  --header "Authorization: Token token=$TOKEN"\n\necho',
  // curlconverter/curlconverter test/fixtures/curl_commands/bash_redirect_heredoc.sh @6dec0fe534cd
  'cc:bash_redirect_heredoc.sh':
    '# https://github.com/curlconverter/curlconverter/issues/328\ncurl -X POST http://localhost:28139/api/servers/00000000000/shared_servers/ -H "\'Accept\': \'application/json\'" -H "Authorization: Bearer 000000000000000-0000" -H "Content-Type: application/json" --data-binary @- <<DATA\n{"server_id": "00000000000",\n                   "shared_server": {"library_section_ids": 00000000000,\n                                     "invited_id": 00000000000}\n                   }\nDATA',
  // Kong/httpsnippet src/targets/shell/curl/fixtures/jsonObj-with-singlequotes.sh @795d98e7f853 (generator used by Insomnia 'Copy as cURL')
  'httpsnippet-jsonObj-with-singlequotes':
    'curl --request POST \\\n  --url http://mockbin.com/har \\\n  --header \'content-type: application/json\' \\\n  --data @- <<EOF\n{\n  "number": 1,\n  "string": "f\'oo"\n}\nEOF',
  // curlconverter/curlconverter test/fixtures/curl_commands/bash_redirect_herestring.sh @6dec0fe534cd
  'cc:bash_redirect_herestring.sh':
    'curl -X POST http://localhost:28139/api/servers/00000000000/shared_servers/ -H "\'Accept\': \'application/json\'" -H "Authorization: Bearer 000000000000000-0000" -H "Content-Type: application/json" --data-binary @- <<< $MYVARIABLE',
  // curl/curl docs/cmdline-opts/json.d @curl-7_88_1 (046209e561b7e9b5aab1aef7daebf29ee6e6e8c7) 'Example:' line rendered by docs/cmdline-opts/gen.pl
  'docs-opt-json-1': 'curl --json @- https://example.com < json.txt',
  // curlconverter/curlconverter test/fixtures/curl_commands/multiple_commands.sh @6dec0fe534cd
  'cc:multiple_commands.sh':
    'curl localhost:28139\n\n# a comment\ncurl localhost:28139/second\n\n\n\ncurl localhost:28139/third --upload-file - < input_redirected_file.txt',
  // curlconverter/curlconverter test/fixtures/curl_commands/redirect_command_url_query.sh @6dec0fe534cd
  'cc:redirect_command_url_query.sh': 'curl localhost:28139 --url-query @- < `echo image.jpg`',
  // GoogleCloudPlatform/gcpdiag bin/curl-get-wrap.sh (code search opening)
  'shell-cmdsubst-exec':
    '#!/bin/sh\n\n# send a curl request with gcloud default app credentials\n\nexec curl \\\n  -H "Authorization: Bearer $(gcloud auth application-default print-access-token)" \\\n  "$@"\n\n#  -H "Content-Type: application/json; charset=utf-8" \\',
};

/** The local files the pastes name, as the CLI's readFile would give them. */
const FILES: Record<string, string> = {
  'add_params.xml': '<ServiceRequest><data/></ServiceRequest>\n',
  'data.json': '{"a":1}\n',
  'MT940.txt': ':20:STARTUMS\r\n:25:12345\n',
  'json.txt': '{"drink": "coffe"}\n',
  'input_redirected_file.txt': 'uploaded\n',
};

function readFile(path: string): string {
  const text = FILES[path];
  if (text === undefined) throw new Error(`${path}: it does not exist`);
  return text;
}

const SECRET = 'env-secret-value-7f3a';

interface Sent {
  method?: string;
  url: string;
  /** The headers, in order (only those named, when `someHeaders`). */
  headers?: Array<[string, string]>;
  body?: string;
  /** Each must be found among the warnings. */
  warnings?: Array<string | RegExp>;
  /** No warning at all. */
  quiet?: boolean;
}

interface Case {
  name: string;
  paste: string;
  env?: Record<string, string>;
  sent?: Sent;
  /** The one-line refusal. */
  refused?: string | RegExp;
}

const CASES: Case[] = [
  // ---- prompts -------------------------------------------------------------------------------
  {
    name: '"$ " and "> " prompts of a terminal transcript (docs)',
    paste: CORPUS['docs-prompt-ps2-1']!,
    sent: {
      method: 'PATCH',
      url: 'https://eve-demo.herokuapp.com/people/5ab12b10662d240004d08b31',
      headers: [
        ['Content-Type', 'application/json'],
        ['If-Match', '9f5cdb43a57b04abe342f6a425260f5e6adae359'],
      ],
      body: '{"firstname": "John"}',
      quiet: true,
    },
  },
  {
    name: 'a "> " prompt',
    paste: "> curl -H 'Accept: application/json' https://api.example.com/v1/me",
    sent: { url: 'https://api.example.com/v1/me', headers: [['Accept', 'application/json']], quiet: true },
  },
  {
    name: 'a user@host prompt, and the output after the command is not a command',
    paste:
      'me@box:~/src$ curl -i https://api.example.com/v1/me\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n',
    sent: { url: 'https://api.example.com/v1/me', quiet: true },
  },
  {
    name: 'a "PS C:\\…> " prompt, backtick-newline continuations and $env:NAME (PowerShell)',
    paste:
      'PS C:\\Users\\me> curl.exe https://api.example.com/v1/me `\n>>   -H "Authorization: Bearer $env:API_TOKEN" `\n>>   -H \'Accept: application/json\'',
    env: { API_TOKEN: SECRET },
    sent: {
      url: 'https://api.example.com/v1/me',
      headers: [
        ['Authorization', `Bearer ${SECRET}`],
        ['Accept', 'application/json'],
      ],
      warnings: ['expanded from the environment (values not shown): $env:API_TOKEN'],
    },
  },
  {
    name: 'a "PS> " prompt',
    paste: 'PS> curl.exe -s https://api.example.com/v1/me',
    sent: { url: 'https://api.example.com/v1/me', quiet: true },
  },
  {
    name: 'a "C:\\>" prompt before Firefox\'s "Copy as cURL (Windows)", ^-newline continuations',
    paste: CORPUS['firefox-cmd-windows-prompt']!,
    sent: {
      url: 'https://community.akamai.steamstatic.com/public/javascript/applications/community/manifest.js?v=nbKNVX6KpsXN&l=english&_cdn=akamai',
      headers: [
        ['User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:147.0) Gecko/20100101 Firefox/147.0'],
        ['Accept', '*/*'],
        ['Accept-Language', 'en-US,en;q=0.9'],
        ['Accept-Encoding', 'gzip, deflate, br, zstd'],
        ['Sec-Fetch-Storage-Access', 'none'],
        ['Connection', 'keep-alive'],
        ['Referer', 'https://steamcommunity.com/'],
        ['Sec-Fetch-Dest', 'script'],
        ['Sec-Fetch-Mode', 'no-cors'],
        ['Sec-Fetch-Site', 'cross-site'],
        ['Priority', 'u=2'],
        ['Pragma', 'no-cache'],
        ['Cache-Control', 'no-cache'],
      ],
    },
  },

  // ---- comments and shebangs ---------------------------------------------------------------
  {
    name: 'a # comment line, and < file as the body of --data-binary @-',
    paste: CORPUS['cc:bash_redirect.sh']!,
    sent: {
      method: 'POST',
      url: 'http://localhost:28139/api/2.0/fo/auth/unix/?action=create&title=UnixRecord&username=root&password=abc123&ips=10.10.10.10',
      headers: [
        ['Authorization', 'Basic VVNFUjpQQVNT'],
        ['X-Requested-With', 'curl'],
        ['Content-Type', 'text/xml'],
      ],
      body: FILES['add_params.xml'],
      quiet: true,
    },
  },
  {
    name: 'a #!/bin/bash shebang and a blank line before Chrome\'s "Copy as cURL"',
    paste: CORPUS['chrome-real-authorization']!,
    sent: { url: 'http://127.0.0.1:8080/get/access_keys', body: undefined, quiet: true },
  },
  {
    name: 'a #!/usr/bin/env sh shebang',
    paste: CORPUS['cc:broken_cookie.sh']!,
    sent: { url: 'http://localhost:8888/', headers: [['Cookie', 'a=b; c']] },
  },
  {
    name: "a script: comments, the paste's own assignments, ${VAR} from the environment, an echo after",
    paste: CORPUS['shell-env-comment-braced']!,
    env: { TOKEN: SECRET },
    sent: {
      method: 'GET',
      url: 'http://localhost:4741/examples',
      headers: [['Authorization', `Bearer ${SECRET}`]],
      warnings: [
        'only the first command is read: the text from line 13 on is ignored',
        'expanded from the environment (values not shown): $TOKEN',
      ],
    },
  },

  // ---- how curl is named -------------------------------------------------------------------
  {
    name: 'curl.exe',
    paste: CORPUS['powershell-curl-exe']!,
    sent: { url: 'https://theposhwolf.com', quiet: true },
  },
  {
    name: 'a path to curl',
    paste: "/usr/bin/curl -H 'X-A: 1' https://api.example.com/",
    sent: { url: 'https://api.example.com/', headers: [['X-A', '1']], quiet: true },
  },
  {
    name: 'a Windows path to curl.exe (cmd)',
    paste: 'C:\\Windows\\System32\\curl.exe -H "X-A: 1" https://api.example.com/',
    sent: { url: 'https://api.example.com/', headers: [['X-A', '1']], quiet: true },
  },
  {
    name: 'CURL in upper case',
    paste: 'CURL -X DELETE https://api.example.com/v1/items/1',
    sent: { method: 'DELETE', url: 'https://api.example.com/v1/items/1', quiet: true },
  },
  {
    name: 'sudo curl',
    paste: 'sudo curl -s https://api.example.com/',
    sent: { url: 'https://api.example.com/', quiet: true },
  },

  // ---- continuations -----------------------------------------------------------------------
  {
    name: '\\-newline continuations (Chrome, bash)',
    paste: CORPUS['chrome-bash-empty-header']!,
    sent: {
      url: 'http://localhost',
      headers: [
        ['header-with-value', 'some value'],
        ['no-value-header', ''],
      ],
      quiet: true,
    },
  },
  {
    name: '^-newline continuations inside a value (Chrome, cmd)',
    paste: CORPUS['chrome-cmd-caret-newlines']!,
    sent: { url: 'http://localhost', headers: [['Cookie', 'query=evil\n\n & cmd /c calc.exe \n\n']] },
  },

  // ---- pipelines ---------------------------------------------------------------------------
  {
    name: 'echo foo | curl …: curl is found, the rest named',
    paste: CORPUS['cc:pipelines.sh']!,
    sent: {
      url: 'http://localhost:28139',
      warnings: [
        '"echo foo |" before curl is not run: curl does not read its standard input here',
        'only the first command is read: the text from line 2 on is ignored',
      ],
    },
  },
  {
    name: 'cat data.json | curl -d @-: the file is the body, as curl would read it (-d drops the newline)',
    paste: CORPUS['shell-pipeline-stdin']!,
    sent: {
      method: 'POST',
      url: 'http://localhost:8080/',
      headers: [['Content-Type', 'application/json']],
      body: '{"a":1}',
      warnings: ['curl\'s standard input is taken from "cat data.json |", as the shell would give it'],
    },
  },
  {
    name: 'cat MT940.txt | curl --data-binary @-: byte for byte',
    paste: CORPUS['shell-pipeline-binary-stdin']!,
    sent: { method: 'POST', url: 'http://localhost:8080/', body: FILES['MT940.txt'] },
  },
  {
    name: 'curl … | sudo apt-key add -: the pipeline after curl is named',
    paste: CORPUS['docs-manual-185']!,
    sent: {
      url: 'https://apt.llvm.org/llvm-snapshot.gpg.key',
      warnings: ['stopped at "|": the rest of the pipeline is not part of the curl command'],
    },
  },
  {
    name: 'a command before the pipe that would have to run: refused when curl reads it',
    paste: 'gzip -c body.json | curl --data-binary @- -H "Content-Encoding: gzip" https://api.example.com/',
    refused:
      "curl's standard input is the output of \"gzip -c body.json\", which why401 does not run: give it with < FILE, <<< 'text' or a here-document",
  },

  // ---- backticks and $(…) ----------------------------------------------------------------
  {
    name: 'a backtick word after < is read (it is closed) and refused: the body would come from running it',
    paste: CORPUS['cc:redirect_command_data.sh']!,
    refused: "curl's standard input is a file named by `echo myfile.jg`, which why401 does not run",
  },
  {
    name: 'the same for --url-query @- < `…`',
    paste: CORPUS['cc:redirect_command_url_query.sh']!,
    refused: "curl's standard input is a file named by `echo image.jpg`, which why401 does not run",
  },
  {
    name: '$(…) assigned earlier, then used in a header: refused, naming it',
    paste: CORPUS['shell-var-from-cmdsubst']!,
    refused:
      'the Authorization header is made by $(gcloud auth print-access-token), which why401 does not run: run it and paste its output in its place',
  },
  {
    name: "a nested curl in $(…) is not the paste's curl command; the header made from it is refused",
    paste: CORPUS['shell-nested-curl-cmdsubst']!,
    refused: /^the Authorization header is made by \$\(curl -k \$ADDR\/music\), which why401 does not run/,
  },
  {
    name: '$(…) inside a header of exec curl: refused',
    paste: CORPUS['shell-cmdsubst-exec']!,
    refused:
      /^the Authorization header is made by \$\(gcloud auth application-default print-access-…, which why401 does not run/,
  },
  {
    name: 'a substitution that does not touch the request is skipped as a word, and named',
    paste: 'curl -o "`date +%s`.json" -H \'Accept: */*\' https://api.example.com/',
    sent: {
      url: 'https://api.example.com/',
      warnings: ['`date +%s` is not run (why401 runs no commands); it does not change the request'],
    },
  },

  // ---- $VAR and ${VAR} -----------------------------------------------------------------
  {
    name: '$VAR set in the environment: expanded, and named (never its value)',
    paste: CORPUS['cc:get_with_env_var.sh']!,
    env: { DO_API_TOKEN: SECRET },
    sent: {
      url: 'http://localhost:28139/v2/images?type=distribution',
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', `Bearer ${SECRET}`],
      ],
      warnings: ['expanded from the environment (values not shown): $DO_API_TOKEN'],
    },
  },
  {
    name: '$VAR not set: kept as written (the placeholder finding then names it)',
    paste: CORPUS['cc:get_with_env_var.sh']!,
    env: { OTHER: 'x' },
    sent: {
      url: 'http://localhost:28139/v2/images?type=distribution',
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', 'Bearer $DO_API_TOKEN'],
      ],
      quiet: true,
    },
  },
  {
    name: 'single quotes do not expand, as in bash',
    paste: "curl -H 'Authorization: Bearer $DO_API_TOKEN' https://api.example.com/",
    env: { DO_API_TOKEN: SECRET },
    sent: {
      url: 'https://api.example.com/',
      headers: [['Authorization', 'Bearer $DO_API_TOKEN']],
      quiet: true,
    },
  },
  {
    name: '${VAR:-default} with VAR unset gives the default; $TOKEN from the environment',
    paste: CORPUS['shell-braced-vars']!,
    env: { TOKEN: SECRET },
    sent: {
      url: 'http://localhost:4741/examples',
      headers: [['Authorization', `Token token=${SECRET}`]],
      warnings: ['expanded from the environment (values not shown): $TOKEN'],
    },
  },
  {
    name: 'an unquoted $VAR splits into words, as in bash',
    paste: 'curl $CURL_OPTS https://api.example.com/',
    env: { CURL_OPTS: '-H X-A:1  -k' },
    sent: { url: 'https://api.example.com/', headers: [['X-A', '1']] },
  },

  {
    name: 'an unquoted {a,b} is read as written, and said (bash would make several words of it)',
    paste: "curl 'https://api.example.com/v1/items?fields=a' https://api.example.com/{a,b}",
    sent: {
      url: 'https://api.example.com/v1/items?fields=a',
      warnings: [
        'https://api.example.com/{a,b}: bash would expand the unquoted {…,…} into several words; read as written',
      ],
    },
  },

  // ---- heredocs, here-strings, < file ----------------------------------------------------
  {
    name: '--data-binary @- <<DATA: the heredoc is the body, byte for byte',
    paste: CORPUS['cc:bash_redirect_heredoc.sh']!,
    sent: {
      method: 'POST',
      url: 'http://localhost:28139/api/servers/00000000000/shared_servers/',
      body: '{"server_id": "00000000000",\n                   "shared_server": {"library_section_ids": 00000000000,\n                                     "invited_id": 00000000000}\n                   }\n',
      quiet: true,
    },
  },
  {
    name: "--data @- <<EOF (Insomnia's generator): -d drops the newlines, as curl does",
    paste: CORPUS['httpsnippet-jsonObj-with-singlequotes']!,
    sent: {
      method: 'POST',
      url: 'http://mockbin.com/har',
      headers: [['content-type', 'application/json']],
      body: '{  "number": 1,  "string": "f\'oo"}',
      quiet: true,
    },
  },
  {
    name: "<<-'EOF': tabs stripped, nothing expanded in a quoted heredoc",
    paste: 'curl --data-binary @- https://api.example.com/ <<-\'EOF\'\n\t{"token": "$TOKEN"}\n\tEOF\n',
    env: { TOKEN: SECRET },
    sent: { url: 'https://api.example.com/', body: '{"token": "$TOKEN"}\n', quiet: true },
  },
  {
    name: 'an unquoted heredoc expands $VAR',
    paste: 'curl --data-binary @- https://api.example.com/ <<EOF\n{"token": "$TOKEN"}\nEOF',
    env: { TOKEN: SECRET },
    sent: {
      url: 'https://api.example.com/',
      body: `{"token": "${SECRET}"}\n`,
      warnings: ['expanded from the environment (values not shown): $TOKEN'],
    },
  },
  {
    name: '<<< $VAR: the here-string and a newline',
    paste: CORPUS['cc:bash_redirect_herestring.sh']!,
    env: { MYVARIABLE: '{"a": 1}' },
    sent: {
      method: 'POST',
      body: '{"a": 1}\n',
      url: 'http://localhost:28139/api/servers/00000000000/shared_servers/',
    },
  },
  {
    name: '--json @- < json.txt',
    paste: CORPUS['docs-opt-json-1']!,
    sent: {
      method: 'POST',
      url: 'https://example.com',
      headers: [
        ['Content-Type', 'application/json'],
        ['Accept', 'application/json'],
      ],
      body: FILES['json.txt'],
      quiet: true,
    },
  },
  {
    name: 'a heredoc opened before a pipe is read from the lines after it',
    paste: 'curl -d @- https://api.example.com/ <<EOF | jq .\nname=a\nEOF\n',
    sent: { url: 'https://api.example.com/', body: 'name=a' },
  },
  {
    name: 'several commands: the first curl one is read, the rest named',
    paste: CORPUS['cc:multiple_commands.sh']!,
    sent: {
      url: 'http://localhost:28139',
      warnings: ['only the first command is read: the text from line 3 on is ignored'],
    },
  },
];

function run(c: Case, extra: CurlParseOptions = {}) {
  const options: CurlParseOptions = { readFile, ...extra };
  if (c.env) options.env = c.env;
  return parseCurlCommand(c.paste, options);
}

describe('a pasted command, read as its shell reads it', () => {
  it.each(CASES.filter((c) => c.sent))('$name', (c) => {
    const p = run(c);
    const s = c.sent!;
    expect(p.request.url).toBe(s.url);
    if (s.method) expect(p.request.method).toBe(s.method);
    if (s.headers) {
      const named = new Set(s.headers.map(([n]) => n.toLowerCase()));
      expect(p.request.headers.filter(([n]) => named.has(n.toLowerCase()))).toEqual(s.headers);
    }
    if ('body' in s) expect(p.request.body).toBe(s.body);
    if (s.quiet) expect(p.warnings).toEqual([]);
    for (const w of s.warnings ?? []) {
      expect(
        p.warnings.some((x) => (typeof w === 'string' ? x === w : w.test(x))),
        `${w}\n${p.warnings.join('\n')}`,
      ).toBe(true);
    }
    // Names are said, values never.
    expect(p.warnings.join('\n')).not.toContain(SECRET);
  });

  it.each(CASES.filter((c) => c.refused))('$name', (c) => {
    expect(() => run(c)).toThrow(CurlParseError);
    expect(() => run(c)).toThrow(c.refused!);
    try {
      run(c);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('curl standard input', () => {
  it('< file is read through readFile, so the caller can refuse it (the page does)', () => {
    const refuse = () => {
      throw new CurlParseError('no local files here');
    };
    expect(() =>
      parseCurlCommand('curl --data-binary @- https://api.example.com/ < /etc/passwd', { readFile: refuse }),
    ).toThrow('no local files here');
    expect(() =>
      parseCurlCommand('cat /etc/passwd | curl --data-binary @- https://api.example.com/', {
        readFile: refuse,
      }),
    ).toThrow('no local files here');
  });

  it("a heredoc's text needs no file: the page can read it", () => {
    const refuse = () => {
      throw new CurlParseError('no local files here');
    };
    const p = parseCurlCommand('curl --json @- https://api.example.com/ <<\'EOF\'\n{"a":1}\nEOF', {
      readFile: refuse,
    });
    expect(p.request.body).toBe('{"a":1}\n');
  });

  it("is never why401's own standard input when the paste says where it comes from", () => {
    const asked: string[] = [];
    const p = parseCurlCommand('curl -d @- https://api.example.com/ <<< "a=1"', {
      readFile: (path) => {
        asked.push(path);
        return 'from why401 stdin';
      },
    });
    expect(p.request.body).toBe('a=1');
    expect(asked).toEqual([]);
  });

  it('is read once, as curl reads it: a second @- finds it empty', () => {
    const p = parseCurlCommand('curl -d @- -d @- https://api.example.com/ <<< "a=1"');
    expect(p.request.body).toBe('a=1&');
  });
});

describe('isCurlPaste: the one recogniser', () => {
  it.each([
    ...CASES.map((c) => c.paste),
    "curl 'https://x.test/",
    '  \n\t$ curl https://x.test/',
    'Run this:\ncurl https://x.test/',
  ])('a paste: %j', (text) => {
    expect(isCurlPaste(text)).toBe(true);
  });

  it.each([
    'https://x.test/curl',
    'https://x.test/\nContent-Type: text/plain\n\ncurl is in this body',
    'example.com/curl',
    'https://x.test/ -H "Authorization: Bearer t"',
    'wget https://x.test/',
    'Invoke-WebRequest -Uri "https://x.test/"',
    'curly https://x.test/',
    '',
  ])('not a paste: %j', (text) => {
    expect(isCurlPaste(text)).toBe(false);
  });
});

describe('properties', () => {
  const piece = fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\\',
    '\\\n',
    "'",
    '"',
    "$'",
    '$"',
    '$',
    '${',
    '}',
    '$(',
    ')',
    '(',
    '`',
    '#',
    '#!/bin/sh\n',
    '|',
    '|&',
    '&',
    '&&',
    ';',
    '<',
    '<(',
    '>',
    '2>&1',
    '<<',
    '<<-',
    '<<<',
    'EOF',
    "'EOF'",
    '\tEOF',
    '^',
    '^"',
    '^\n',
    '%',
    '%X%',
    '$X',
    '${X}',
    '${X:-d e}',
    '${X:=v}',
    '$env:X',
    '--%',
    '$ ',
    '> ',
    '>> ',
    'PS> ',
    'PS C:\\> ',
    'C:\\>',
    'me@box:~$ ',
    'cat ',
    'echo ',
    'sudo ',
    'X=1 ',
    'export Y=2 ',
    'curl ',
    'curl.exe ',
    'CURL ',
    '/usr/bin/curl ',
    '-d',
    '@-',
    '-T',
    '-',
    '-H',
    'https://x.test/',
    'a',
    '=',
    'é',
    '\u0000',
    '\uE000',
    '\uE001',
    '\uE0000\uE001',
    '*',
  );
  const env = { X: 'x y', Y: '$(id)', PATH: '/bin' };

  /** Any text: either a request, or one CurlParseError line; isCurlPaste never throws. */
  const holds = (text: string) => {
    expect(typeof isCurlPaste(text)).toBe('boolean');
    try {
      const p = parseCurlCommand(text, { env, readFile: (f) => `file ${f}` });
      expect(p.request.headerOrigins).toHaveLength(p.request.headers.length);
      // A substitution's marker never shows: warnings say the substitution as written.
      if (!/[\uE000-\uF8FF]/.test(text)) expect(p.warnings.join('\n')).not.toMatch(/[\uE000-\uF8FF]/);
    } catch (e) {
      if (!(e instanceof CurlParseError)) throw e;
      expect(e.message).not.toContain('\n');
    }
  };

  it('shell-significant pieces in any order: a request or one line', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => holds(pieces.join(''))),
      {
        numRuns: 2000,
      },
    );
  });

  it('… after a curl word too', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) =>
        holds(`curl https://x.test/ ${pieces.join('')}`),
      ),
      // Found at 5,000 runs: a -T name with a line break (backslash-newline in $'…') was quoted
      // into a two-line error.
      { numRuns: 2000, examples: [[['-T', "$'", '\\\n', '${X:-d e}', "$'"]]] },
    );
  });

  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (t) => holds(`curl ${t}`)),
      { numRuns: 1000 },
    );
  });

  it('an option whose name a command makes is named and left out, never read letter by letter', () => {
    // fast-check found `-$()`: its marker was read as a cluster of short options (`-0` among them),
    // and the unknown-option warning printed the marker.
    const p = parseCurlCommand('curl https://x.test/ -$(pick-flag) -s$(more) -H "X-A: 1"');
    expect(p.request.headers).toEqual([['X-A', '1']]);
    expect(p.warnings).toContain(
      '-$(pick-flag) is a curl option made by a command, which why401 does not run: ignored',
    );
    expect(p.warnings).toContain(
      '-s$(more) is a curl option made by a command, which why401 does not run: ignored',
    );
    expect(p.warnings.join('\n')).not.toMatch(/[\uE000-\uF8FF]/);
  });

  it('a private-use character in a paste is text, never taken for a substitution', () => {
    const p = parseCurlCommand("curl https://x.test/ -H 'X-A: \uE0000\uE001' -o $(date)");
    expect(p.request.headers).toEqual([['X-A', '\uE0000\uE001']]);
  });
});
