/**
 * `-F`/`--form` and `--form-string`, as curl 7.88.1 reads them (src/tool_formparse.c formparse,
 * get_param_part, get_param_word) and writes the multipart body (lib/mime.c: Curl_mime_prepare_headers,
 * escape_string, Curl_mime_contenttype, the boundary of MIME_BOUNDARY_DASHES 24 dashes and
 * MIME_RAND_BOUNDARY_CHARS 16 random hex digits), tag curl-7_88_1. Platform-neutral: the files a
 * part names are read through the caller's reader, so the CLI's size cap and the web page's
 * refusal hold for them as for every other file.
 *
 * Written out rather than handed to undici's FormData: FormData cannot give a field a
 * Content-Type without a filename (`-F 'name=daniel;type=text/foo'`), names every Blob "blob",
 * and escapes, orders and types parts its own way; the request would not be curl's.
 */
import { bytesOf, concatBytes } from './encode.js';

/** One part, as the argument described it. Files are read when the body is built. */
export interface FormField {
  /** data: name=value; file: name=@FILE (sent as a file); filedata: name=<FILE (its content as the value). */
  kind: 'data' | 'file' | 'filedata';
  name?: string;
  /** data: the value; file and filedata: the path (`-` is standard input). */
  value: string;
  filename?: string;
  type?: string;
  encoder?: string;
  /** ;headers= lines. */
  headers: string[];
}

/** name=@a,b: several files under one name (a multipart/mixed part). */
export interface FormFiles {
  kind: 'files';
  name?: string;
  files: FormField[];
}

export type FormPart = FormField | FormFiles;

const SPACE = /^[ \t\n\v\f\r]$/;
const isSpace = (c: string) => SPACE.test(c);

interface Word {
  word: string;
  /** Index of the character that ended the word (`;`, the end character, or the end). */
  next: number;
  quoted: boolean;
}

/** get_param_word(): a "quoted" word (\\ and \" escapes), or everything up to `;` or `end`. */
function paramWord(s: string, start: number, end: string, warnings: string[]): Word {
  if (s.charAt(start) === '"') {
    let word = '';
    for (let p = start + 1; p < s.length; p += 1) {
      const c = s.charAt(p);
      if (c === '\\' && (s.charAt(p + 1) === '\\' || s.charAt(p + 1) === '"')) {
        word += s.charAt(p + 1);
        p += 1;
        continue;
      }
      if (c === '"') {
        let q = p + 1;
        let trailing = false;
        while (q < s.length && s.charAt(q) !== ';' && s.charAt(q) !== end) {
          if (!isSpace(s.charAt(q))) trailing = true;
          q += 1;
        }
        if (trailing)
          warnings.push('-F: trailing data after a quoted form parameter is ignored, as curl does');
        return { word, next: q, quoted: true };
      }
      word += c;
    }
    // No closing quote: read as an unquoted word, quote included.
  }
  let p = start;
  while (p < s.length && s.charAt(p) !== ';' && s.charAt(p) !== end) p += 1;
  return { word: s.slice(start, p), next: p, quoted: false };
}

/** An unquoted word loses its trailing white space. */
function trimWord(w: Word): string {
  return w.quoted ? w.word : w.word.replace(/[ \t\n\v\f\r]+$/, '');
}

function startsWithCi(s: string, at: number, prefix: string): boolean {
  return s.slice(at, at + prefix.length).toLowerCase() === prefix;
}

interface ParamPart {
  data: string;
  type?: string;
  filename?: string;
  encoder?: string;
  headers: string[];
  /** Index of `,` or the end. */
  next: number;
  /** The character that ended the part: `,`, or '' at the end. */
  sep: string;
}

/**
 * get_param_part(): the value, then `;type=`, `;filename=`, `;headers=` and `;encoder=` in any
 * order; a `;` segment after a type that is none of these is more of the type (`type=text/html;
 * charset=utf-8`); other segments are skipped with a warning.
 */
function paramPart(
  s: string,
  start: number,
  end: string,
  warnings: string[],
  readText: (path: string) => string | undefined,
): ParamPart | { problem: string } {
  let p = start;
  while (p < s.length && isSpace(s.charAt(p))) p += 1;
  const first = paramWord(s, p, end, warnings);
  const out: ParamPart = { data: trimWord(first), headers: [], next: 0, sep: '' };
  p = first.next;
  let typeStart = -1;
  let typeEnd = -1;
  let endct = -1; // curl's `endct`: while set, unknown segments extend the type
  const closeType = () => {
    if (endct >= 0) typeEnd = endct;
    endct = -1;
  };
  const skipSpace = () => {
    while (p < s.length && isSpace(s.charAt(p))) p += 1;
  };
  while (s.charAt(p) === ';') {
    p += 1;
    skipSpace();
    if (endct < 0 && startsWithCi(s, p, 'type=')) {
      p += 5;
      skipSpace();
      typeStart = p;
      // sscanf(type, "%127[^/ ]/%127[^;, \n]", major, minor) must find both.
      const m = /^([^/ ]{1,127})\/([^;, \n]{1,127})/.exec(s.slice(p));
      if (!m) return { problem: 'illegally formatted content-type field (;type=major/minor)' };
      p += m[1]!.length + m[2]!.length + 1;
      for (endct = p; p < s.length && s.charAt(p) !== ';' && s.charAt(p) !== end; p += 1)
        if (!isSpace(s.charAt(p))) endct = p + 1;
    } else if (startsWithCi(s, p, 'filename=')) {
      closeType();
      p += 9;
      skipSpace();
      const w = paramWord(s, p, end, warnings);
      out.filename = trimWord(w);
      p = w.next;
    } else if (startsWithCi(s, p, 'headers=')) {
      closeType();
      p += 8;
      if (s.charAt(p) === '@' || s.charAt(p) === '<') {
        p += 1;
        skipSpace();
        const w = paramWord(s, p, end, warnings);
        p = w.next;
        const file = trimWord(w);
        const text = readText(file);
        if (text === undefined) warnings.push(`-F: cannot read the part headers from ${file}, as curl warns`);
        else out.headers.push(...fieldHeaders(text));
      } else {
        skipSpace();
        const w = paramWord(s, p, end, warnings);
        p = w.next;
        out.headers.push(trimWord(w));
      }
    } else if (startsWithCi(s, p, 'encoder=')) {
      closeType();
      p += 8;
      skipSpace();
      const w = paramWord(s, p, end, warnings);
      out.encoder = trimWord(w);
      p = w.next;
    } else if (endct >= 0) {
      for (endct = p; p < s.length && s.charAt(p) !== ';' && s.charAt(p) !== end; p += 1)
        if (!isSpace(s.charAt(p))) endct = p + 1;
    } else {
      const w = paramWord(s, p, end, warnings);
      p = w.next;
      if (w.word !== '') warnings.push(`-F: unknown form field ";${w.word}" skipped, as curl does`);
    }
  }
  closeType();
  if (typeStart >= 0) out.type = s.slice(typeStart, typeEnd);
  out.next = p;
  out.sep = s.charAt(p);
  return out;
}

/** read_field_headers(): one header a line, `#` comment lines, indented lines continue the header before. */
function fieldHeaders(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (raw !== '' && !isSpace(raw.charAt(0))) {
      if (current.trim() !== '') out.push(current.replace(/[ \t\n\v\f\r]+$/, ''));
      current = '';
    }
    if (raw.startsWith('#')) continue;
    current += raw;
  }
  if (current.trim() !== '') out.push(current.replace(/[ \t\n\v\f\r]+$/, ''));
  return out;
}

/**
 * formparse(): one -F (or, with `literal`, --form-string) argument. `{ problem }` is what curl
 * refuses with exit 2 (and what why401 cannot reproduce: a nested `name=(` multipart).
 */
export function parseFormArg(
  input: string,
  literal: boolean,
  warnings: string[],
  readText: (path: string) => string | undefined,
): FormPart | { problem: string } {
  const eq = input.indexOf('=');
  if (eq < 0) return { problem: `"${input}" is not name=content` };
  const name = eq > 0 ? input.slice(0, eq) : undefined;
  const named = <T extends object>(o: T): T & { name?: string } => (name === undefined ? o : { ...o, name });
  const contp = eq + 1;
  const first = input.charAt(contp);
  if (literal) return named({ kind: 'data' as const, value: input.slice(contp), headers: [] });
  if (first === '(' || (name === undefined && input.slice(contp) === ')')) {
    return { problem: 'nested multipart parts, name=( … ), are not reproduced by why401' };
  }
  if (first === '@') {
    const files: FormField[] = [];
    let at = contp;
    let sep: string;
    do {
      at += 1; // the @, then each ,
      const r = paramPart(input, at, ',', warnings, readText);
      if ('problem' in r) return r;
      const f: FormField = { kind: 'file', value: r.data, headers: r.headers };
      if (r.filename !== undefined) f.filename = r.filename;
      if (r.type !== undefined) f.type = r.type;
      if (r.encoder !== undefined) f.encoder = r.encoder;
      files.push(f);
      at = r.next;
      sep = r.sep;
    } while (sep !== '');
    if (files.length === 1) return named({ ...files[0]! });
    return named({ kind: 'files' as const, files });
  }
  const fromFile = first === '<';
  const r = paramPart(input, fromFile ? contp + 1 : contp, '', warnings, readText);
  if ('problem' in r) return r;
  if (r.sep !== '')
    warnings.push(`-F: garbage at the end of the field specification is ignored, as curl does`);
  const part: FormField = {
    kind: fromFile ? 'filedata' : 'data',
    value: r.data,
    headers: r.headers,
  };
  if (r.filename !== undefined) {
    if (fromFile) warnings.push('-F name=<file: ;filename= is not allowed there; curl ignores it');
    else part.filename = r.filename;
  }
  if (r.type !== undefined) part.type = r.type;
  if (r.encoder !== undefined) part.encoder = r.encoder;
  return named(part);
}

// ---- The body ----

/** Curl_mime_contenttype(): the few extensions curl knows, matched at the end, any case. */
const EXTENSION_TYPES: Array<[string, string]> = [
  ['.gif', 'image/gif'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.png', 'image/png'],
  ['.svg', 'image/svg+xml'],
  ['.txt', 'text/plain'],
  ['.htm', 'text/html'],
  ['.html', 'text/html'],
  ['.pdf', 'application/pdf'],
  ['.xml', 'application/xml'],
];

function typeForName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  return EXTENSION_TYPES.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** content_type_match(): the type, then the end, a space or a `;`. */
function typeIs(type: string | undefined, target: string): boolean {
  if (type === undefined || type.slice(0, target.length).toLowerCase() !== target) return false;
  return /^(?:$|[\t\r\n ;])/.test(type.slice(target.length));
}

/** POSIX basename(), as strippath() uses it: the name after the last `/`. */
function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** escape_string() with the form table (WHATWG HTML: `"` → %22, CR → %0D, LF → %0A). */
function escapeName(s: string): string {
  return s.replace(/["\r\n]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));
}

function base64Lines(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return (btoa(binary).match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A fresh boundary as curl 7.88 makes one: 24 dashes and 16 random lower-case hex digits. */
export function curlBoundary(): string {
  const random = new Uint8Array(8);
  crypto.getRandomValues(random);
  return `${'-'.repeat(24)}${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

interface Rendered {
  headers: string[];
  content: Uint8Array;
}

/**
 * The body of a multipart/form-data request and its Content-Type header value: `contentType`
 * is the -H Content-Type the user gave (curl keeps it and appends `; boundary=…`, whatever its
 * type), else multipart/form-data. `read` returns a file's bytes or throws (curl stops, exit 26).
 */
export function buildMultipart(
  parts: FormPart[],
  read: (path: string) => Uint8Array,
  contentType: string | undefined,
  boundary: () => string = curlBoundary,
): { body: Uint8Array; contentType: string } {
  const type = contentType ?? 'multipart/form-data';
  const b = boundary();
  // Parts of a multipart/form-data body are form-data; under any other multipart type curl lets
  // each part default to "attachment".
  const disposition = typeIs(type, 'multipart/form-data') ? 'form-data' : undefined;
  const rendered = parts.map((p) => renderPart(p, disposition, read, boundary));
  return { body: joinParts(rendered, b), contentType: `${type}; boundary=${b}` };
}

function joinParts(parts: Rendered[], b: string): Uint8Array {
  const out: Uint8Array[] = [];
  for (const p of parts) {
    out.push(
      bytesOf(`--${b}\r\n${p.headers.map((h) => `${h}\r\n`).join('')}\r\n`),
      p.content,
      bytesOf('\r\n'),
    );
  }
  out.push(bytesOf(`--${b}--\r\n`));
  return concatBytes(out);
}

function renderPart(
  p: FormPart,
  disposition: string | undefined,
  read: (path: string) => Uint8Array,
  boundary: () => string,
): Rendered {
  if (p.kind === 'files') {
    // Several files under one name: a multipart/mixed part of "attachment" parts.
    const b = boundary();
    const sub = p.files.map((f) => renderPart(f, undefined, read, boundary));
    return {
      headers: headersFor(p.name, undefined, 'multipart/mixed', true, disposition, [], undefined, b),
      content: joinParts(sub, b),
    };
  }
  let filename: string | undefined;
  let guessed: string | undefined;
  let content: Uint8Array;
  if (p.kind === 'data') {
    filename = p.filename;
    guessed = typeForName(filename);
    content = bytesOf(p.value);
  } else if (p.value === '-') {
    // Standard input: a file part is named "-" (tool2curlparts), a <- part has no name.
    filename = p.kind === 'file' ? (p.filename ?? '-') : undefined;
    guessed = typeForName(filename);
    content = read('-');
  } else {
    filename = p.kind === 'file' ? (p.filename ?? basename(p.value)) : undefined;
    guessed =
      typeForName(filename) ??
      typeForName(p.value) ??
      (filename !== undefined ? 'application/octet-stream' : undefined);
    content = read(p.value);
  }
  const custom = p.type ?? p.headers.find((h) => /^content-type:/i.test(h))?.replace(/^[^:]*:\s*/, '');
  let type = custom ?? guessed;
  // A guessed text/plain is left out unless the part has a filename (the form strategy).
  if (custom === undefined && typeIs(type, 'text/plain') && filename === undefined) type = undefined;
  if (p.encoder !== undefined && p.encoder.toLowerCase() === 'base64')
    content = bytesOf(base64Lines(content));
  return {
    headers: headersFor(p.name, filename, type, false, disposition, p.headers, p.encoder, undefined),
    content,
  };
}

function headersFor(
  name: string | undefined,
  filename: string | undefined,
  type: string | undefined,
  multipart: boolean,
  given: string | undefined,
  custom: string[],
  encoder: string | undefined,
  boundary: string | undefined,
): string[] {
  const out: string[] = [];
  const has = (h: string) => custom.some((c) => c.toLowerCase().startsWith(`${h}:`));
  if (!has('content-disposition')) {
    let d = given;
    if (
      d === undefined &&
      (filename !== undefined ||
        name !== undefined ||
        (type !== undefined && !multipart && !/^multipart\//i.test(type)))
    )
      d = 'attachment';
    if (d === 'attachment' && name === undefined && filename === undefined) d = undefined;
    if (d !== undefined) {
      out.push(
        `Content-Disposition: ${d}${name !== undefined ? `; name="${escapeName(name)}"` : ''}${filename !== undefined ? `; filename="${escapeName(filename)}"` : ''}`,
      );
    }
  }
  if (type !== undefined)
    out.push(`Content-Type: ${type}${boundary !== undefined ? `; boundary=${boundary}` : ''}`);
  if (encoder !== undefined && !has('content-transfer-encoding'))
    out.push(`Content-Transfer-Encoding: ${encoder}`);
  return [...out, ...custom];
}

/** The encoders curl knows (lib/mime.c encoders[]); quoted-printable is not reproduced. */
export function encoderProblem(parts: FormPart[]): string | undefined {
  for (const p of parts.flatMap((x) => (x.kind === 'files' ? x.files : [x]))) {
    const e = p.encoder?.toLowerCase();
    if (e === undefined || e === 'binary' || e === '8bit' || e === '7bit' || e === 'base64') continue;
    if (e === 'quoted-printable') return ';encoder=quoted-printable is not reproduced by why401';
    return `;encoder=${p.encoder} is not an encoder curl knows (binary, 8bit, 7bit, base64, quoted-printable)`;
  }
  return undefined;
}
