/**
 * Placeholders sent where a credential belongs (`${TOKEN}`, `<your-token>`, `undefined`, an empty
 * value, `[object Object]`): what each kind is, how it got there and what to do. A table of facts
 * the checks (header.placeholder, header.scheme-missing, token.opaque…) and the credential rule
 * (knowledge/credential-rule.ts: a placeholder is not a secret) both read.
 */

export interface PlaceholderKind {
  /**
   * What the value is, for the title "… sends <what> `value`, not a credential": a noun phrase
   * that does not itself say "not a credential" (the title does, once).
   */
  what: string;
  /** Why it got there and what to do. */
  why: string;
  fix: string;
  /** Quote the value in the title: only when it cannot be (part of) a real secret. */
  quote: boolean;
}

const VARIABLE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const SECRET_WORD =
  /(?:^|_)(?:TOKEN|KEY|SECRET|PASSWORD|PASS|PAT|JWT|AUTH|BEARER|CREDENTIALS?|APIKEY)(?:_|$)/;

/** What kind of placeholder the value is, or undefined for a value that may be real. */
export function classify(v: string): PlaceholderKind | undefined {
  const lower = v.toLowerCase();
  let m: RegExpExecArray | null;
  if (v === '') {
    return {
      what: 'an empty value',
      why: 'The variable that should hold the credential was empty or unset when the request was built (e.g. `$TOKEN` in a shell where TOKEN is not set, or an environment variable missing in CI).',
      fix: 'Set the variable before the request (`export TOKEN=…`, or the CI secret), and check it: `test -n "$TOKEN" || echo "TOKEN is empty"`.',
      quote: false,
    };
  }
  if ((m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v))) {
    const name = m[1] as string;
    return {
      what: 'an unexpanded shell variable',
      why: `The literal text \`${v}\` was sent: single quotes ('…') stopped the shell from expanding it, or the value came from a file or tool that does not expand variables (a .env loader, Postman, a YAML config). If the shell had expanded it with no ${name} set, the value would have been empty instead.`,
      fix: `Let the shell expand it: use double quotes, \`-H "Authorization: Bearer $${name}"\`, and make sure ${name} is set (\`echo "$${name}"\`).`,
      quote: true,
    };
  }
  // `$(gcloud auth print-access-token)` or `` `cat token` `` inside single quotes, or in a tool that
  // runs no shell (Postman, a .env file, YAML): the command's text went out instead of its output.
  if (/^\$\((?:[^()]|\([^()]*\))+\)$/.test(v) || /^`[^`]+`$/.test(v)) {
    return {
      what: 'an unexpanded command substitution',
      why: `The literal text \`${v}\` was sent: single quotes ('…') stopped the shell from running the command, or the value came from a tool that runs no shell (Postman, a .env loader, a YAML config).`,
      fix: `Let the shell run it: use double quotes, \`-H "Authorization: Bearer ${v}"\`, or run the command first and put its output in a variable.`,
      quote: true,
    };
  }
  if (/^\$env:[A-Za-z_][A-Za-z0-9_]*$/i.test(v)) {
    return {
      what: 'an unexpanded PowerShell variable',
      why: `The literal text \`${v}\` was sent: single quotes in PowerShell do not expand variables.`,
      fix: `Use double quotes in PowerShell: \`-H "Authorization: Bearer ${v}"\`, and check that the variable is set.`,
      quote: true,
    };
  }
  if (/^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) {
    return {
      what: 'an unexpanded Windows variable',
      why: `The literal text \`${v}\` was sent: cmd.exe leaves \`%NAME%\` as it is when NAME is not set, and PowerShell never expands \`%NAME%\` (it uses \`$env:NAME\`).`,
      fix: `Set the variable in cmd.exe (\`set NAME=…\`), or in PowerShell write \`$env:NAME\` instead of \`${v}\`.`,
      quote: true,
    };
  }
  if (/^\$\{[^{}]+\}$/.test(v)) {
    return {
      what: 'an unfilled template placeholder',
      why: `The literal text \`${v}\` was sent: in JavaScript a \`\${…}\` placeholder only works inside backticks, not in '…' or "…" strings; in a shell, single quotes stop it.`,
      fix: 'Use a template literal (`` `Bearer ${token}` ``) in JavaScript, or double quotes in a shell.',
      quote: true,
    };
  }
  if (/^\{\{[^{}]+\}\}$/.test(v)) {
    return {
      what: 'an unresolved Postman/Insomnia variable',
      why: `The literal text \`${v}\` was sent: no environment is selected, or the variable is not defined in it (or its current value is empty). Exported collections and generated code keep the \`{{…}}\` as text.`,
      fix: 'Select the environment that defines the variable (and set its current value), or replace the placeholder with the token.',
      quote: true,
    };
  }
  if (/^\{[A-Za-z_][\w.-]*\}$/.test(v) || /^<[^<>]+>$/.test(v) || /^\[[^[\]]+\]$/.test(v)) {
    if (v === '[object Object]') return objectObject();
    return {
      what: 'a placeholder from documentation',
      why: `The literal text \`${v}\` was sent: an example was copied and its placeholder not replaced (or a Python string lacks its \`f\` prefix).`,
      fix: 'Replace the placeholder with the real token or key.',
      quote: true,
    };
  }
  if (v === '[object Object]') return objectObject();
  const code: Record<string, string> = {
    undefined:
      'JavaScript turned an unset value into the text "undefined" (e.g. `process.env.API_KEY` is not set, or the field name is wrong)',
    null: 'a null value was turned into the text "null" (JavaScript, Java, JSON)',
    none: 'Python turned `None` into the text "None" (e.g. `os.getenv("TOKEN")` returned None)',
    nil: 'Ruby or Go turned a nil value into the text "nil"',
    nan: 'a number conversion failed and produced "NaN"',
  };
  const c = code[lower];
  if (c !== undefined) {
    return {
      what: 'the text',
      why: `The program ${c}.`,
      fix: 'Check that the variable holding the credential is set before the request is built, and fail early when it is not.',
      quote: true,
    };
  }
  if (/^(?:x{3,}|\*{3,}|\.{3,}|•{3,}|…)$/i.test(v)) {
    return {
      what: 'a dummy or masked value',
      why: `The value \`${v}\` is a stand-in, not a credential.`,
      fix: 'Replace it with the real token or key.',
      quote: true,
    };
  }
  // A key shown shortened or hidden by a dashboard: `sk-…1234`, `sk_live_****1234`, `abcd...wxyz`.
  if (/\*{4,}|•{3,}/.test(v) || /^[\w-]{2,}(?:\.{3}|…)[\w-]{2,}$/.test(v)) {
    return {
      what: 'a masked copy of a key',
      why: 'The value holds a run of `*`, `•` or `...`: it was copied from a dashboard or a log that hides most of the key, not from the key itself.',
      fix: 'Copy the full key where it was created (a dashboard shows it once), or create a new key.',
      quote: false,
    };
  }
  // Two plain tests rather than one nested pattern (which could backtrack for ever on a long key).
  const sampleWords =
    /^[A-Za-z0-9 _-]{4,60}$/.test(v) &&
    /^(?:your|my|insert|enter|replace|put|paste|add)[ _-]/i.test(v) &&
    /(?:token|key|secret|jwt|credentials?|password|here)$/i.test(v);
  if (
    sampleWords ||
    /^[A-Za-z0-9_-]{1,40}[_-]here$/i.test(v) ||
    /^(?:change[_-]?me|change[_-]?it|replace[_-]?me|placeholder|dummy|example|sample|todo|tbd|fixme)$/i.test(
      v,
    ) ||
    /^[A-Za-z0-9]{1,12}[_-](?:[A-Za-z0-9]{1,12}[_-])?x{6,}$/i.test(v)
  ) {
    return {
      what: 'a placeholder from documentation or a sample',
      why: `The literal text \`${v}\` was sent: a sample value was never replaced.`,
      fix: 'Replace the placeholder with the real token or key.',
      quote: true,
    };
  }
  // Upper case with an underscore (ACCESS_TOKEN, GITHUB_TOKEN) is an environment variable's name
  // before it is a word: its fix names the variable.
  if (VARIABLE_NAME.test(v) && SECRET_WORD.test(v) && v.length <= 40) {
    return {
      what: 'the name of an environment variable',
      why: `The text \`${v}\` looks like a variable name: the \`$\` in front of it, or the lookup in code, is missing.`,
      fix: `Send the variable's value: \`$${v}\` in a shell, \`process.env.${v}\` / \`os.environ["${v}"]\` in code.`,
      quote: true,
    };
  }
  if (/^(?:token|access[_-]?token|api[_-]?key|apikey|key|jwt|secret|password|id[_-]?token)$/i.test(v)) {
    return {
      what: "a variable's name",
      why: `The literal word \`${v}\` was sent: the name of the variable went in instead of its value.`,
      fix: 'Send the value of the variable, not its name (e.g. `$TOKEN` rather than `TOKEN`).',
      quote: true,
    };
  }
  return undefined;
}

function objectObject(): PlaceholderKind {
  return {
    what: 'the text',
    why: 'JavaScript turned an object into text: the whole object (e.g. the token response, or `{ token }`) was used where its string field belongs.',
    fix: 'Use the string field, e.g. `response.access_token`, not the whole response object.',
    quote: true,
  };
}
