import type { HarEntry, HarMeta } from '../model/har.js';
import { readEntry } from '../facts/har-entry-shape.js';

/**
 * A push-style HAR reader: bytes in, one `log.entries[i]` out as soon as its last byte has
 * arrived. Platform-neutral (no Node built-ins, no Buffer): the CLI feeds it from `fs`, the web
 * page from a dropped `File`.
 *
 * How it stays fast and bounded whatever the file size:
 * - A byte-level JSON tokenizer walks the structure (and checks it: brackets, commas, colons,
 *   literals and numbers) but jumps over string bodies with `indexOf('"')` and a backslash-run
 *   parity check, so the megabytes of `response.content.text` cost little.
 * - Only the bytes of one entry (and of the few `log` fields kept as meta) are copied, and the
 *   entry is parsed with one `JSON.parse`. Everything else is looked at and dropped.
 * - A string value longer than `maxTextChars` is cut in the bytes before parsing: its first
 *   `maxTextChars` UTF-16 code units are kept (never half an escape, half a UTF-8 sequence or
 *   half a surrogate pair), the string is closed again, and the object that held it gets
 *   `_why401TruncatedFrom` = the original length in UTF-16 code units (for a body,
 *   `response.content`). Such a string is walked four or eight bytes at a time (a quote, a
 *   backslash or a non-ASCII byte is looked at alone) to find the cut and count the rest.
 *   Property names are not cut (unless longer than 65536).
 * - A long string value (16 KiB of bytes or more) is not decoded at all until somebody reads it:
 *   the property is an accessor over the string's UTF-8 bytes (enumerable, so JSON.stringify,
 *   spreading and structured cloning see an ordinary string; assigning to it works). Most bodies
 *   are never read, and the UTF-8 decoding of non-ASCII text is the slowest step of all.
 *
 * What it does not check: the contents of strings it does not parse (a bad escape or a raw
 * control character inside a skipped value or a long body): those are decoded leniently.
 */

export interface HarScanOptions {
  /** Each entry of `log.entries`, in file order; `index` is its position in that array (0-based). */
  onEntry(entry: HarEntry, index: number): void;
  /** After each `log` field (version, creator, browser, pages) is read, with everything known so far. */
  onMeta?(meta: HarMeta): void;
  /** Longer strings are cut to this many UTF-16 code units (default 262144). */
  maxTextChars?: number;
  /** Long string values decoded on first read (default true); false decodes them at once. */
  lazyText?: boolean;
}

/**
 * What went wrong, for the words around the message: `truncated` the input ends before the HAR
 * does (a download or copy that did not finish); `syntax` a byte that JSON does not allow in a
 * file that may well be complete; `not-a-har` JSON (or text) that is not a HAR file (a bare
 * entry, no `log`, an array, HTML); `empty`; `encoding` UTF-16 or gzip; `limit` one of the
 * scanner's bounds (nesting, entry size, a number's length).
 */
export type ScanErrorKind = 'truncated' | 'syntax' | 'not-a-har' | 'empty' | 'encoding' | 'limit';

export interface ScanError {
  /** Byte offset in the input (a UTF-8 BOM counts). */
  offset: number;
  /** One line, e.g. "unexpected end of file inside entry 1234 at byte 987654321". */
  message: string;
  kind: ScanErrorKind;
}

/**
 * How a scan stopped, said of the file: "is cut short at byte 148 (…)" for a file that ends early,
 * "has a JSON syntax error at byte 12 (…)" for one that is damaged where it goes on, the message
 * alone for a file that is not a HAR at all.
 */
export function scanErrorWords(e: ScanError): string {
  switch (e.kind) {
    case 'truncated':
      return `is cut short at byte ${e.offset} (${e.message})`;
    case 'syntax':
      return `has a JSON syntax error at byte ${e.offset}, where it is damaged rather than cut short (${e.message})`;
    case 'limit':
      return `cannot be read past byte ${e.offset} (${e.message})`;
    default:
      return `is not a HAR file that why401 can read (${e.message})`;
  }
}

/** One line about a file that gave no entry at all: `x.har is cut short at byte 148 (…)`, `x.har: the file is empty`. */
export function scanErrorLine(file: string, e: ScanError): string {
  return e.kind === 'truncated' || e.kind === 'syntax' || e.kind === 'limit'
    ? `${file} ${scanErrorWords(e)}`
    : `${file}: ${e.message}`;
}

export interface ScanResult {
  /** How many entries were passed to `onEntry`. */
  entries: number;
  meta: HarMeta;
  error?: ScanError;
}

export const DEFAULT_MAX_TEXT_CHARS = 262_144;
/** String values with at least this many bytes are decoded on first read. */
export const LAZY_MIN_BYTES = 16_384;
/** Deeper nesting is refused (real HARs stay under 50, Chrome's async `_initiator` stacks included). */
export const MAX_DEPTH = 1000;
/** One entry may keep at most this many bytes after long strings are cut (or 8 × maxTextChars if larger). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_TOKEN = 512;
const MAX_KEY_CHARS = 65_536;
const KEY_CAP = 64;
const INITIAL_BUF = 1 << 20;

// Tokenizer states.
const S_START = 0;
const S_BOM1 = 1;
const S_BOM2 = 2;
const S_VALUE = 3;
const S_VALUE_OR_CLOSE = 4;
const S_KEY_OR_CLOSE = 5;
const S_KEY = 6;
const S_COLON = 7;
const S_COMMA_OR_CLOSE = 8;
const S_DONE = 9;
const S_TOKEN = 10;
/** NetExport's JSONP (`onInputData({…});`): the callback's name, then `(` before the HAR, `)` after it. */
const S_JSONP_NAME = 11;
const S_JSONP_OPEN = 12;
/** Longest JSONP callback name read (`onInputData`, `callback_testLoad1`, `window.x.y`). */
const MAX_JSONP_NAME = 128;

// Container kinds on the stack.
const OBJ = 1;
const ARR = 2;

// What a string's bytes are used for.
const K_SKIP = 0;
const K_CAPTURE = 1;
const K_KEYREC = 2;

// Truncation of the current captured string.
const T_NONE = 0;
const T_WALK = 1; // longer than maxTextChars in bytes: looking for the cut point
const T_CUT = 2; // cut: counting the rest, copying nothing

// What a captured value is.
const C_ENTRY = 0;
const C_META = 1;

const META_KEYS = new Set(['version', 'creator', 'browser', 'pages']);

const UTF8 = new TextDecoder();
const ENC = new TextEncoder();
const EMPTY = new Uint8Array(0);

interface Slot {
  /** The JSON string as bytes, quotes included (cut and re-closed when truncated). */
  bytes: Uint8Array;
  /** The original length in UTF-16 code units when the string was cut. */
  from?: number;
}

/**
 * The walk through a long string body: UTF-16 code units counted as the bytes go by (plain UTF-8
 * bytes by their lead byte, an escape as one unit), the escape in progress at the end of a chunk,
 * and the cut point once `target` units are reached.
 */
interface Walk {
  units: number;
  /** 1: the previous byte was a backslash that starts an escape. */
  esc: number;
  /** Hex digits of a `\uXXXX` escape still to come, and their value so far. */
  hex: number;
  hexVal: number;
  /** The last unit was an escaped high surrogate (`\uD800`–`\uDBFF`) starting at lastStartAbs. */
  lastHigh: boolean;
  lastStartAbs: number;
  /** Units to keep. */
  target: number;
  /** Absolute offset of the first byte not kept, -1 before the cut. */
  cutAbs: number;
}

function hexValue(b: number): number {
  return b <= 57 ? b - 48 : (b | 0x20) - 87;
}

/** UTF-16 units of four UTF-8 bytes with no escape: lead bytes count 1, 4-byte leads 2. */
function wordUnits(x: number): number {
  if ((x & 0x80808080) === 0) return 4;
  const cont = x & ~(x << 1) & 0x80808080;
  const four = x & (x << 1) & (x << 2) & (x << 3) & 0x80808080;
  return 4 - (Math.imul(cont >>> 7, 0x01010101) >>> 24) + (Math.imul(four >>> 7, 0x01010101) >>> 24);
}

/**
 * Counts the units of string body bytes a[from, to) into `w` and returns the index of the closing
 * quote, or -1 when `to` comes first. Four bytes at a time (a little-endian DataView read): a word
 * with no quote and no backslash is counted at once, otherwise the first such byte is found in it.
 */
function countBody(a: Uint8Array, from: number, to: number, w: Walk): number {
  let p = from;
  let units = w.units;
  if (w.hex > 0) {
    const h = Math.min(w.hex, to - p);
    w.hex -= h;
    p += h;
  } else if (w.esc === 1 && p < to) {
    w.esc = 0;
    if (a[p] === 117) w.hex = 4;
    p++;
    if (w.hex > 0) {
      const h = Math.min(4, to - p);
      w.hex -= h;
      p += h;
    }
  }
  if (w.hex > 0 || w.esc === 1) return -1;
  const dv = to - p >= 8 ? new DataView(a.buffer, a.byteOffset, a.length) : undefined;
  for (;;) {
    if (dv !== undefined) {
      // Plain ASCII eight bytes at a time: the bulk of bodies, base64 above all.
      while (p + 8 <= to) {
        const x = dv.getUint32(p, true);
        const y = dv.getUint32(p + 4, true);
        const x1 = x ^ 0x22222222;
        const x2 = x ^ 0x5c5c5c5c;
        const y1 = y ^ 0x22222222;
        const y2 = y ^ 0x5c5c5c5c;
        if (
          ((((x1 - 0x01010101) & ~x1) |
            ((x2 - 0x01010101) & ~x2) |
            ((y1 - 0x01010101) & ~y1) |
            ((y2 - 0x01010101) & ~y2) |
            x |
            y) &
            0x80808080) !==
          0
        )
          break;
        units += 8;
        p += 8;
      }
      while (p + 4 <= to) {
        const x = dv.getUint32(p, true);
        const v1 = x ^ 0x22222222;
        const v2 = x ^ 0x5c5c5c5c;
        if (((((v1 - 0x01010101) & ~v1) | ((v2 - 0x01010101) & ~v2)) & 0x80808080) === 0) {
          units += wordUnits(x);
          p += 4;
          continue;
        }
        // The first quote or backslash in the word, exactly.
        const m =
          ~(((v1 & 0x7f7f7f7f) + 0x7f7f7f7f) | v1 | 0x7f7f7f7f) |
          ~(((v2 & 0x7f7f7f7f) + 0x7f7f7f7f) | v2 | 0x7f7f7f7f);
        const j = (31 - Math.clz32(m & -m)) >> 3;
        if (j > 0) {
          const before = x & ((1 << (j * 8)) - 1);
          units += (before & 0x80808080) === 0 ? j : wordUnits(before) - (4 - j);
          p += j;
        }
        break;
      }
    }
    if (p >= to) break;
    const b = a[p]!;
    if (b === 92) {
      units++;
      if (p + 1 >= to) {
        w.esc = 1;
        p++;
        break;
      }
      if (a[p + 1] === 117) {
        const h = Math.min(4, to - p - 2);
        w.hex = 4 - h;
        p += 2 + h;
      } else {
        p += 2;
      }
      continue;
    }
    if (b === 34) {
      w.units = units;
      return p;
    }
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    p++;
  }
  w.units = units;
  return -1;
}

/**
 * Like countBody, and finds the cut: the first byte past `w.target` units, never inside an escape
 * or a UTF-8 sequence, and never right after the first half of an escaped surrogate pair
 * (`w.cutAbs`; `absOff` turns an index into a file offset). Counting goes on past the cut; the
 * index of the closing quote, or -1 when `to` comes first.
 */
function walkToCut(a: Uint8Array, from: number, to: number, absOff: number, w: Walk): number {
  let p = from;
  // Far from the target: count in blocks that cannot reach it (a byte adds at most one unit, the
  // lead of a 4-byte sequence two), leaving the last units to the exact walk below.
  while (w.target - w.units > 64 && p < to) {
    const e = Math.min(to, p + (w.target - w.units) - 32);
    const r = countBody(a, p, e, w);
    if (r !== -1) return r;
    p = e;
  }
  let units = w.units;
  let esc = w.esc;
  let hex = w.hex;
  let hexVal = w.hexVal;
  let lastHigh = w.lastHigh;
  let lastStart = w.lastStartAbs - absOff;
  const target = w.target;
  let r = -1;
  while (p < to) {
    const b = a[p]!;
    if (hex > 0) {
      hexVal = (hexVal << 4) | (hexValue(b) & 15);
      if (--hex === 0) lastHigh = hexVal >= 0xd800 && hexVal <= 0xdbff;
      p++;
      continue;
    }
    if (esc === 1) {
      esc = 0;
      if (b === 117) {
        hex = 4;
        hexVal = 0;
      }
      p++;
      continue;
    }
    if (b === 34) {
      r = p;
      break;
    }
    if ((b & 0xc0) === 0x80) {
      p++;
      continue;
    }
    const u = b >= 0xf0 ? 2 : 1;
    if (units + u > target) {
      w.cutAbs = (lastHigh ? lastStart : p) + absOff;
      break;
    }
    lastStart = p;
    lastHigh = false;
    units += u;
    if (b === 92) esc = 1;
    p++;
  }
  w.units = units;
  w.esc = esc;
  w.hex = hex;
  w.hexVal = hexVal;
  w.lastHigh = lastHigh;
  w.lastStartAbs = lastStart + absOff;
  if (w.cutAbs >= 0) {
    // Count on from the cut, the unit there included.
    w.target = Infinity;
    return countBody(a, p, to, w);
  }
  return r;
}

/** How a byte reads in an error message. */
function showByte(b: number): string {
  if (b >= 0x21 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  if (b === 0x20) return 'a space';
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A JSON string (its bytes, quotes included) as a JS string; lenient about defects, never throws. */
export function decodeJsonString(bytes: Uint8Array): string {
  const body = bytes.subarray(1, bytes.length - 1);
  if (body.indexOf(92) === -1) return UTF8.decode(body);
  try {
    const v: unknown = JSON.parse(UTF8.decode(bytes));
    if (typeof v === 'string') return v;
  } catch {
    // a raw control character or a bad escape: undo what can be undone below
  }
  return UTF8.decode(body).replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_m, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ESCAPES[e]!,
  );
}

const TRUE = ENC.encode('true');
const FALSE = ENC.encode('false');
const NULL = ENC.encode('null');

function sameBytes(t: Uint8Array, n: number, w: Uint8Array): boolean {
  if (n !== w.length) return false;
  for (let k = 0; k < n; k++) if (t[k] !== w[k]) return false;
  return true;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 48 && b <= 57;

/** A byte of a JavaScript name as JSONP callbacks are written: `onInputData`, `callback_x`, `a.b`, `$cb`. */
function isNameByte(b: number): boolean {
  return (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || isDigit(b) || b === 95 || b === 36 || b === 46;
}

/** The message of a file that is not JSON, until end() knows how the file starts. */
const NOT_JSON = 'not a HAR file: this is not JSON';

/** How many first bytes are kept to show the start of a file that is not JSON. */
const HEAD_BYTES = 24;

/** The start of a file, quoted, printable ASCII only (a UTF-8 BOM left out). */
function showStart(bytes: Uint8Array): string {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  let text = '';
  let line = false;
  for (const x of b) {
    if (x === 10 || x === 13) {
      line = true;
      break;
    }
    text += x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.';
  }
  // More follows when the text is cut here, or when the first bytes held no line end.
  const more = text.length > 20 || (!line && bytes.length >= HEAD_BYTES);
  return `'${text.slice(0, 20)}${more ? '…' : ''}'`;
}

/**
 * `true`, `false`, `null` or a JSON number (RFC 8259 §6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?),
 * read from the token's bytes: a HAR holds a dozen numbers per entry (sizes, timings), and making a
 * string of each to match a regular expression was a measurable part of reading 200,000 entries.
 */
function isLiteral(t: Uint8Array, n: number): boolean {
  const b0 = t[0];
  if (b0 === 0x74) return sameBytes(t, n, TRUE);
  if (b0 === 0x66) return sameBytes(t, n, FALSE);
  if (b0 === 0x6e) return sameBytes(t, n, NULL);
  let k = 0;
  if (t[k] === 0x2d) k++;
  if (k >= n || !isDigit(t[k])) return false;
  if (t[k] === 0x30) k++;
  else while (k < n && isDigit(t[k])) k++;
  if (k < n && t[k] === 0x2e) {
    k++;
    if (k >= n || !isDigit(t[k])) return false;
    while (k < n && isDigit(t[k])) k++;
  }
  if (k < n && (t[k] === 0x65 || t[k] === 0x45)) {
    k++;
    if (k < n && (t[k] === 0x2b || t[k] === 0x2d)) k++;
    if (k >= n || !isDigit(t[k])) return false;
    while (k < n && isDigit(t[k])) k++;
  }
  return k === n;
}

/** Replaces parent[key] by an enumerable accessor that decodes the bytes on first read. */
function defineLazy(parent: object, key: string | number, bytes: Uint8Array): void {
  let raw: Uint8Array | undefined = bytes;
  let value = '';
  Object.defineProperty(parent, key, {
    enumerable: true,
    configurable: true,
    get(): string {
      if (raw !== undefined) {
        value = decodeJsonString(raw);
        raw = undefined;
      }
      return value;
    },
    set(v: string) {
      value = v;
      raw = undefined;
    },
  });
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asString(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/**
 * The push scanner. `push` bytes as they come (any chunk sizes, the same result), then `end()`.
 * Never throws on bad input: the first problem ends the scan and is reported by `end()` (and by
 * `error` at once, so a reader can stop early). Exceptions thrown by `onEntry` or `onMeta`
 * propagate out of `push`.
 */
export class HarScanner {
  private readonly onEntry: HarScanOptions['onEntry'];
  private readonly onMeta: HarScanOptions['onMeta'];
  private readonly maxText: number;
  private readonly lazy: boolean;
  private readonly budget: number;
  private readonly marker: string;

  private base = 0;
  private c: Uint8Array = EMPTY;
  private state = S_START;
  private readonly stack = new Uint8Array(MAX_DEPTH + 1);
  private depth = 0;
  private err: ScanError | undefined;
  private ended = false;

  // The primitive token being read.
  private readonly tok = new Uint8Array(MAX_TOKEN);
  private tokLen = 0;
  private tokAbs = 0;

  // The string being read.
  private inStr = false;
  private strKind = K_SKIP;
  private strIsKey = false;
  private strOpenAbs = 0;
  private bsRun = 0;
  private strBufStart = -1;
  private strMax = 0;
  private readonly keyBuf = new Uint8Array(KEY_CAP);
  private keyLen = 0;
  private keyOver = false;

  // Truncation of the current captured string.
  private tr = T_NONE;
  private readonly walker: Walk = {
    units: 0,
    esc: 0,
    hex: 0,
    hexVal: 0,
    lastHigh: false,
    lastStartAbs: 0,
    target: 0,
    cutAbs: -1,
  };

  private readonly scratch: Walk = { ...this.walker };

  // Where we are in the HAR.
  private key1 = '';
  private key2 = '';
  private logState = 0; // 0 not seen, 1 inside, 2 closed
  private entriesState = 0;
  private sawTop = false;

  // The value being captured (an entry or a meta field).
  private capturing = false;
  private capKind = C_ENTRY;
  private capKey = '';
  private capDepth = 0;
  private capAbs = 0;
  private buf = new Uint8Array(INITIAL_BUF);
  private len = 0;
  private segStart = 0;
  private slots: Slot[] = [];
  private slotBytes = 0;
  private peak = 0;

  private count = 0;
  private readonly meta: HarMeta = {};

  /** The JSONP callback's name once `name(` has been read; whether `)` and `;` followed the HAR. */
  private jsonp: string | undefined;
  private jsonpClosed = false;
  private jsonpSemicolon = false;
  /** The first bytes of the input, to show what a file that is not JSON starts with. */
  private head = new Uint8Array(0);
  /** The first keys of the top-level object, to say what a JSON that is not a HAR holds. */
  private readonly topKeys = new Set<string>();

  constructor(o: HarScanOptions) {
    this.onEntry = o.onEntry;
    this.onMeta = o.onMeta;
    const m = o.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
    this.maxText = Number.isNaN(m) ? DEFAULT_MAX_TEXT_CHARS : Math.max(0, Math.floor(m));
    this.lazy = o.lazyText ?? true;
    this.budget = Math.max(MAX_ENTRY_BYTES, this.maxText * 8);
    this.marker = `\u0000why401:${Math.random().toString(36).slice(2, 10)}:`;
  }

  /** The first problem found, as soon as it is found. */
  get error(): ScanError | undefined {
    return this.err;
  }

  /** Bytes pushed so far. */
  get bytesScanned(): number {
    return this.base;
  }

  /** The most bytes held at once for one value (its copy plus its long strings): the memory bound. */
  get peakHeldBytes(): number {
    return this.peak;
  }

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    // The first bytes are kept even after an error: "it starts with …" is written at the end, so
    // that it reads the same however the file arrived in chunks.
    if (this.head.length < HEAD_BYTES) {
      const h = new Uint8Array(Math.min(HEAD_BYTES, this.head.length + chunk.length));
      h.set(this.head);
      h.set(chunk.subarray(0, h.length - this.head.length), this.head.length);
      this.head = h;
    }
    if (this.err !== undefined) return;
    const c = chunk;
    const n = c.length;
    this.c = c;
    this.segStart = 0;
    let i = 0;
    while (i < n) {
      if (this.inStr) {
        i = this.scanString(c, i);
        if (this.err !== undefined) break;
        continue;
      }
      const b = c[i]!;
      const st = this.state;
      if (st === S_TOKEN) {
        if (
          (b >= 48 && b <= 57) ||
          (b >= 97 && b <= 122) ||
          (b >= 65 && b <= 90) ||
          b === 45 ||
          b === 43 ||
          b === 46
        ) {
          if (this.tokLen === MAX_TOKEN) {
            this.fail(
              this.tokAbs,
              `a number or literal longer than ${MAX_TOKEN} characters ${this.where()} at byte ${this.tokAbs}`,
              'limit',
            );
            break;
          }
          this.tok[this.tokLen++] = b;
          i++;
          continue;
        }
        if (!this.endToken(i)) break;
        continue; // the delimiter is handled in the new state
      }
      if (b === 32 || b === 10 || b === 13 || b === 9) {
        if (st === S_JSONP_NAME) this.state = S_JSONP_OPEN;
        if (st <= S_BOM2 && st !== S_START) {
          this.fail(
            this.base + i,
            `the file starts with a broken byte order mark at byte ${this.base + i}`,
            'encoding',
          );
          break;
        }
        if (st === S_START) this.state = S_VALUE;
        i++;
        continue;
      }
      switch (st) {
        case S_START:
          if (b === 0xef) {
            this.state = S_BOM1;
            i++;
          } else if (b === 0xff || b === 0xfe) {
            this.fail(
              0,
              'the file is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8',
              'encoding',
            );
          } else if (b === 0x1f) {
            this.fail(0, 'the file looks gzip-compressed: decompress it first', 'encoding');
          } else {
            this.state = S_VALUE;
          }
          break;
        case S_BOM1:
        case S_BOM2:
          if (b === (st === S_BOM1 ? 0xbb : 0xbf)) {
            this.state = st === S_BOM1 ? S_BOM2 : S_VALUE;
            i++;
          } else {
            this.fail(
              this.base + i,
              `the file starts with a broken byte order mark at byte ${this.base + i}`,
              'encoding',
            );
          }
          break;
        case S_VALUE:
        case S_VALUE_OR_CLOSE:
          if (b === 0x5d && st === S_VALUE_OR_CLOSE) {
            this.close(ARR, i);
          } else {
            this.beginValue(b, i);
          }
          i++;
          break;
        case S_KEY_OR_CLOSE:
        case S_KEY:
          if (b === 0x22) {
            this.beginString(i, true);
          } else if (b === 0x7d && st === S_KEY_OR_CLOSE) {
            this.close(OBJ, i);
          } else {
            this.unexpected(b, i, st === S_KEY ? 'a key in double quotes' : "a key in double quotes or '}'");
          }
          i++;
          break;
        case S_COLON:
          if (b === 0x3a) this.state = S_VALUE;
          else this.unexpected(b, i, "':' after a key");
          i++;
          break;
        case S_COMMA_OR_CLOSE:
          if (b === 0x2c) {
            this.state = this.stack[this.depth - 1] === OBJ ? S_KEY : S_VALUE;
          } else if (b === 0x7d || b === 0x5d) {
            this.close(b === 0x7d ? OBJ : ARR, i);
          } else {
            this.unexpected(b, i, this.stack[this.depth - 1] === OBJ ? "',' or '}'" : "',' or ']'");
          }
          i++;
          break;
        case S_DONE:
          if (this.jsonp !== undefined && b === 0x29 && !this.jsonpClosed) {
            this.jsonpClosed = true;
            i++;
          } else if (this.jsonpClosed && b === 0x3b && !this.jsonpSemicolon) {
            this.jsonpSemicolon = true;
            i++;
          } else {
            this.fail(
              this.base + i,
              `unexpected ${showByte(b)} after the end of the HAR at byte ${this.base + i}`,
              'syntax',
            );
          }
          break;
        case S_JSONP_NAME:
        case S_JSONP_OPEN:
          if (b === 0x28) {
            this.jsonp = String.fromCharCode(...this.tok.subarray(0, this.tokLen));
            this.state = S_VALUE;
            i++;
          } else if (st === S_JSONP_NAME && isNameByte(b) && this.tokLen < MAX_JSONP_NAME) {
            this.tok[this.tokLen++] = b;
            i++;
          } else {
            this.notJson(this.base + i);
          }
          break;
      }
      if (this.err !== undefined) break;
    }
    if (this.err === undefined && this.capturing) this.flush(n);
    this.base += n;
    this.c = EMPTY;
  }

  /** No more bytes: the result, with an error if the HAR is incomplete or is not one. */
  end(): ScanResult {
    if (!this.ended && this.err === undefined) {
      this.ended = true;
      const at = this.base;
      if (
        this.state === S_START ||
        (this.state === S_VALUE && this.depth === 0 && !this.sawTop && this.jsonp === undefined)
      ) {
        this.fail(
          0,
          this.base === 0 ? 'the file is empty' : 'the file holds no JSON, only white space',
          'empty',
        );
      } else if (this.state === S_BOM1 || this.state === S_BOM2) {
        this.fail(at, 'the file holds only a byte order mark', 'empty');
      } else if (this.state === S_JSONP_NAME || this.state === S_JSONP_OPEN) {
        this.notJson(0);
      } else if (this.state !== S_DONE) {
        this.fail(at, `unexpected end of file ${this.where()} at byte ${at}`, 'truncated');
      } else if (this.jsonp !== undefined && !this.jsonpClosed) {
        this.fail(
          at,
          `unexpected end of file at byte ${at}: the ')' that closes ${this.jsonp}( is missing`,
          'truncated',
        );
      } else if (this.logState === 0) {
        this.fail(0, this.noLog(), 'not-a-har');
      } else if (this.entriesState === 0) {
        this.fail(at, 'the "log" object has no "entries" array: this JSON is not a HAR file', 'not-a-har');
      }
    }
    this.ended = true;
    this.releaseCapture();
    const r: ScanResult = { entries: this.count, meta: { ...this.meta } };
    if (this.err?.message === NOT_JSON)
      this.err.message = `${NOT_JSON} (it starts with ${showStart(this.head)})`;
    if (this.err !== undefined) r.error = this.err;
    return r;
  }

  // ---- errors ----

  private fail(offset: number, message: string, kind: ScanErrorKind): void {
    if (this.err === undefined) this.err = { offset, message, kind };
    this.inStr = false;
  }

  /** Text that is not JSON at all (the first bytes, shown safely). */
  private notJson(at: number): void {
    this.fail(at, NOT_JSON, 'not-a-har');
  }

  /** JSON without `log`: a bare entry (a HAR entry copied alone) is named as one. */
  private noLog(): string {
    const keys = [...this.topKeys];
    if (keys.includes('request') && (keys.includes('response') || keys.includes('startedDateTime')))
      return 'this JSON is a single HAR entry, not a HAR file: a HAR file holds its entries in {"log": {"entries": [ … ]}}';
    const shown = keys.map((k) => `"${k.length > 30 ? `${k.slice(0, 29)}…` : k}"`).join(', ');
    return `no "log" object: this JSON is not a HAR file${keys.length ? ` (its keys: ${shown})` : ''}`;
  }

  /** Where the scan is, for messages. */
  private where(): string {
    if (this.capturing)
      return this.capKind === C_ENTRY ? `inside entry ${this.count}` : `inside log.${this.capKey}`;
    if (this.entriesState === 1)
      return this.count === 0
        ? 'at the start of log.entries'
        : `in log.entries after entry ${this.count - 1}`;
    if (this.logState === 1) return 'inside the log object';
    return 'inside the HAR object';
  }

  private unexpected(b: number, i: number, expected: string): void {
    const at = this.base + i;
    this.fail(at, `unexpected ${showByte(b)} ${this.where()} at byte ${at} (expected ${expected})`, 'syntax');
  }

  // ---- structure ----

  private beginValue(b: number, i: number): void {
    const at = this.base + i;
    const isOpen = b === 0x7b || b === 0x5b;
    if (!this.capturing) {
      const d = this.depth;
      if (d === 0) {
        if (this.jsonp === undefined && !this.sawTop && isNameByte(b) && !isDigit(b)) {
          // Perhaps JSONP: the callback's name comes first.
          this.state = S_JSONP_NAME;
          this.tok[0] = b;
          this.tokLen = 1;
          return;
        }
        this.sawTop = true;
        if (b !== 0x7b) {
          if (b === 0x5b)
            this.fail(
              at,
              `this is a JSON array, not a HAR file (a HAR is an object {"log": …}) at byte ${at}`,
              'not-a-har',
            );
          else if (b === 0x3c)
            this.fail(at, `this looks like HTML or XML, not a HAR file (byte ${at})`, 'not-a-har');
          else if (this.jsonp === undefined)
            this.fail(at, `not a HAR file: expected '{' at byte ${at}, found ${showByte(b)}`, 'not-a-har');
          else
            this.fail(
              at,
              `not a HAR file: ${this.jsonp}( holds no JSON object, found ${showByte(b)} at byte ${at}`,
              'not-a-har',
            );
          return;
        }
      } else if (d === 1 && this.key1 === 'log' && this.logState === 0) {
        if (b !== 0x7b) {
          this.fail(at, `"log" is not an object (byte ${at})`, 'not-a-har');
          return;
        }
        this.logState = 1;
      } else if (d === 2 && this.logState === 1) {
        if (this.key2 === 'entries' && this.entriesState === 0) {
          if (b !== 0x5b) {
            this.fail(at, `"log.entries" is not an array (byte ${at})`, 'not-a-har');
            return;
          }
          this.entriesState = 1;
        } else if (META_KEYS.has(this.key2)) {
          this.startCapture(i, C_META);
        }
      } else if (d === 3 && this.entriesState === 1) {
        this.startCapture(i, C_ENTRY);
      }
    }
    if (isOpen) {
      if (this.depth === MAX_DEPTH) {
        this.fail(at, `nesting deeper than ${MAX_DEPTH} levels ${this.where()} at byte ${at}`, 'limit');
        return;
      }
      this.stack[this.depth++] = b === 0x7b ? OBJ : ARR;
      this.state = b === 0x7b ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
    } else if (b === 0x22) {
      this.beginString(i, false);
    } else if (b === 0x2d || (b >= 48 && b <= 57) || b === 0x74 || b === 0x66 || b === 0x6e) {
      this.state = S_TOKEN;
      this.tokLen = 1;
      this.tok[0] = b;
      this.tokAbs = at;
    } else {
      this.unexpected(b, i, 'a value');
    }
  }

  private endToken(i: number): boolean {
    if (!isLiteral(this.tok, this.tokLen)) {
      const t = String.fromCharCode(...this.tok.subarray(0, this.tokLen));
      this.fail(
        this.tokAbs,
        `invalid value '${t.slice(0, 40)}' ${this.where()} at byte ${this.tokAbs}`,
        'syntax',
      );
      return false;
    }
    this.valueDone(i);
    return !this.err;
  }

  /** A string, number or literal value ended just before index `e`. */
  private valueDone(e: number): void {
    if (this.capturing && this.depth === this.capDepth) this.finishCapture(e);
    this.state = this.depth === 0 ? S_DONE : S_COMMA_OR_CLOSE;
  }

  private close(kind: number, i: number): void {
    if (this.stack[this.depth - 1] !== kind) {
      this.unexpected(
        kind === OBJ ? 0x7d : 0x5d,
        i,
        this.stack[this.depth - 1] === OBJ ? "',' or '}'" : "',' or ']'",
      );
      return;
    }
    this.depth--;
    const d = this.depth;
    if (this.capturing) {
      if (d === this.capDepth) this.finishCapture(i + 1);
    } else if (d === 2 && this.entriesState === 1 && kind === ARR) {
      this.entriesState = 2;
    } else if (d === 1 && this.logState === 1) {
      this.logState = 2;
    }
    this.state = d === 0 ? S_DONE : S_COMMA_OR_CLOSE;
  }

  // ---- strings ----

  private beginString(i: number, isKey: boolean): void {
    this.inStr = true;
    this.strIsKey = isKey;
    this.strOpenAbs = this.base + i;
    this.bsRun = 0;
    this.strBufStart = -1;
    this.tr = T_NONE;
    // Keys are not cut (a property name is never a body), unless absurdly long.
    this.strMax = isKey ? Math.max(this.maxText, MAX_KEY_CHARS) : this.maxText;
    if (this.capturing) {
      this.strKind = K_CAPTURE;
    } else if (isKey && (this.depth === 1 || (this.depth === 2 && this.logState === 1))) {
      this.strKind = K_KEYREC;
      this.keyLen = 0;
      this.keyOver = false;
    } else {
      this.strKind = K_SKIP;
    }
  }

  /** Reads string bytes from `i` (the opening quote is behind); the index after the string or `n`. */
  private scanString(c: Uint8Array, i: number): number {
    if (this.strKind === K_CAPTURE) {
      const r = this.scanCaptured(c, i);
      if (r < 0 || this.err !== undefined) return c.length;
      this.stringDone(r);
      return r + 1;
    }
    const q = this.findQuote(c, i, Infinity);
    const end = q === -1 ? c.length : q;
    if (this.strKind === K_KEYREC) {
      const take = Math.min(end - i, KEY_CAP - this.keyLen);
      if (take < end - i) this.keyOver = true;
      if (take > 0) this.keyBuf.set(c.subarray(i, i + take), this.keyLen);
      this.keyLen += take;
    }
    if (q === -1) {
      this.carryBackslashes(c);
      return c.length;
    }
    this.stringDone(q);
    return q + 1;
  }

  /**
   * The closing quote at or after `i` (a quote after a backslash run of odd length is escaped), or
   * -1 when the chunk ends first or the quote lies beyond `limit`.
   */
  private findQuote(c: Uint8Array, i: number, limit: number): number {
    const opened = this.strOpenAbs >= this.base;
    let q = i;
    for (let escaped = 1; ; escaped++) {
      q = c.indexOf(34, q);
      if (q === -1 || q > limit) return -1;
      let k = q - 1;
      while (k >= 0 && c[k] === 92) k--;
      let run = q - 1 - k;
      if (k < 0 && !opened) run += this.bsRun;
      if ((run & 1) === 0) return q;
      q++;
      if (escaped === 4 && c.length - q > 256) {
        // Escaped quotes everywhere (JSON in a body): word by word is faster than a search per
        // quote. Right after an escaped quote no escape is pending.
        const s = this.scratch;
        s.units = 0;
        s.esc = 0;
        s.hex = 0;
        return countBody(c, q, Math.min(c.length, limit + 1), s);
      }
    }
  }

  /** Keeps the trailing backslash run of a chunk that ends inside a string, for the next chunk. */
  private carryBackslashes(c: Uint8Array): void {
    const n = c.length;
    let k = n - 1;
    while (k >= 0 && c[k] === 92) k--;
    let run = n - 1 - k;
    if (k < 0 && this.strOpenAbs < this.base) run += this.bsRun;
    this.bsRun = run;
  }

  /** The string closed by the quote at index q. */
  private stringDone(q: number): void {
    this.inStr = false;
    if (this.strIsKey) {
      if (this.strKind === K_KEYREC) {
        const key = this.keyOver ? '\u0000' : decodeJsonString(this.keyBufQuoted());
        if (this.depth === 1) {
          this.key1 = key;
          if (this.topKeys.size < 8 && !this.keyOver) this.topKeys.add(key);
        } else this.key2 = key;
      }
      this.state = S_COLON;
    } else {
      this.valueDone(q + 1);
    }
  }

  private keyBufQuoted(): Uint8Array {
    const out = new Uint8Array(this.keyLen + 2);
    out[0] = 34;
    out.set(this.keyBuf.subarray(0, this.keyLen), 1);
    out[this.keyLen + 1] = 34;
    return out;
  }

  /**
   * A string inside a captured value, from index i: the index of its closing quote, or -1 when the
   * chunk ends first. Short strings are only looked through; a string whose body passes maxText
   * bytes is walked unit by unit from its start, cut, and the rest only counted.
   */
  private scanCaptured(c: Uint8Array, i: number): number {
    const n = c.length;
    const bodyAbs = this.strOpenAbs + 1;
    const w = this.walker;
    if (this.tr === T_NONE) {
      const lim = bodyAbs + this.strMax - this.base;
      const q = this.findQuote(c, i, lim);
      if (q !== -1) {
        this.closeShort(c, q);
        return q;
      }
      if (n <= lim) {
        this.carryBackslashes(c);
        return -1;
      }
      // Longer than maxText bytes: walk it from its first byte.
      this.tr = T_WALK;
      w.units = 0;
      w.esc = 0;
      w.hex = 0;
      w.hexVal = 0;
      w.lastHigh = false;
      w.lastStartAbs = bodyAbs;
      w.target = this.strMax;
      w.cutAbs = -1;
      if (this.strBufStart < 0) {
        this.flush(this.strOpenAbs - this.base + 1);
        if (this.err !== undefined) return -1;
        this.strBufStart = this.len - 1;
      } else {
        const from = this.strBufStart + 1;
        walkToCut(this.buf, from, this.len, bodyAbs - from, w);
        this.applyCut();
      }
      i = this.segStart;
    }
    const r = this.tr === T_WALK ? walkToCut(c, i, n, this.base, w) : countBody(c, i, n, w);
    this.applyCut();
    if (this.err !== undefined) return -1;
    const end = r === -1 ? n : r;
    if (this.tr === T_CUT) this.segStart = end;
    else this.flush(end);
    if (r === -1 || this.err !== undefined) return -1;
    if (this.tr === T_CUT) {
      this.append1(34);
      this.segStart = r + 1;
      if (!this.strIsKey) this.toSlot(this.strBufStart, w.units);
    } else {
      this.closeShort(c, r);
    }
    return r;
  }

  /** Once the walk has found the cut: the kept bytes end there, nothing more is copied. */
  private applyCut(): void {
    const w = this.walker;
    if (this.tr !== T_WALK || w.cutAbs < 0) return;
    this.tr = T_CUT;
    const x = w.cutAbs - this.base;
    if (x >= this.segStart) this.flush(x);
    else this.len = this.strBufStart + 1 + (w.cutAbs - this.strOpenAbs - 1);
  }

  /** A captured string not cut, closed by the quote at index q: a long value goes to a slot. */
  private closeShort(c: Uint8Array, q: number): void {
    const bodyLen = this.base + q - this.strOpenAbs - 1;
    if (this.strIsKey || bodyLen < LAZY_MIN_BYTES || !this.lazy) return;
    if (this.strBufStart < 0) {
      // The whole string is in this chunk: straight from the chunk to its slot.
      const o = this.strOpenAbs - this.base;
      this.flush(o);
      const bytes = new Uint8Array(q + 1 - o);
      bytes.set(c.subarray(o, q + 1));
      this.segStart = q + 1;
      this.addSlot({ bytes });
    } else {
      this.flush(q + 1);
      this.toSlot(this.strBufStart);
    }
  }

  // ---- capture ----

  private startCapture(i: number, kind: number): void {
    this.capturing = true;
    this.capKind = kind;
    this.capKey = this.key2;
    this.capDepth = this.depth;
    this.capAbs = this.base + i;
    this.len = 0;
    this.segStart = i;
    this.slots = [];
    this.slotBytes = 0;
  }

  /** Copies c[segStart, e) into buf. */
  private flush(e: number): void {
    const s = this.segStart;
    if (e <= s) return;
    if (this.inStr && this.strKind === K_CAPTURE && this.strBufStart < 0) {
      const o = this.strOpenAbs - this.base;
      if (o < e) this.strBufStart = this.len + (o - s);
    }
    if (!this.reserve(e - s)) return;
    this.buf.set(this.c.subarray(s, e), this.len);
    this.len += e - s;
    this.segStart = e;
  }

  private append1(b: number): void {
    if (this.reserve(1)) this.buf[this.len++] = b;
  }

  /** Room for `extra` more bytes; false (and an error) past the budget. */
  private reserve(extra: number): boolean {
    const need = this.len + extra;
    if (need + this.slotBytes > this.peak) this.peak = need + this.slotBytes;
    if (need + this.slotBytes > this.budget) {
      const mib = Math.round(this.budget / 1048576);
      this.fail(
        this.capAbs,
        `${this.what()} at byte ${this.capAbs} is larger than ${mib} MiB even with long strings cut`,
        'limit',
      );
      this.len = 0;
      return false;
    }
    if (need <= this.buf.length) return true;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    return true;
  }

  private what(): string {
    return this.capKind === C_ENTRY ? `entry ${this.count}` : `log.${this.capKey}`;
  }

  /** Moves buf[from, len) (one JSON string) to a slot and leaves a marker in its place. */
  private toSlot(from: number, truncatedFrom?: number): void {
    const bytes = this.buf.slice(from, this.len);
    this.len = from;
    this.addSlot(truncatedFrom === undefined ? { bytes } : { bytes, from: truncatedFrom });
  }

  private addSlot(s: Slot): void {
    const m = ENC.encode(JSON.stringify(this.marker + this.slots.length));
    this.slots.push(s);
    this.slotBytes += s.bytes.length;
    if (!this.reserve(m.length)) return;
    this.buf.set(m, this.len);
    this.len += m.length;
  }

  private releaseCapture(): void {
    this.capturing = false;
    this.slots = [];
    this.slotBytes = 0;
    this.len = 0;
    if (this.buf.length > 16 * INITIAL_BUF) this.buf = new Uint8Array(INITIAL_BUF);
  }

  /** The captured value ends before index `e` of the current chunk: parse it and hand it over. */
  private finishCapture(e: number): void {
    this.flush(e);
    if (this.err !== undefined) return;
    const text = UTF8.decode(this.buf.subarray(0, this.len));
    const slots = this.slots;
    const kind = this.capKind;
    const key = this.capKey;
    const what = this.what();
    const at = this.capAbs;
    this.releaseCapture();
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (x) {
      const msg = x instanceof Error ? x.message : '';
      const pos = /position (\d+)/.exec(msg);
      const off = pos ? at + ENC.encode(text.slice(0, Number(pos[1]))).length : at;
      const why = /escape/i.test(msg)
        ? 'a bad escape in a string'
        : /control/i.test(msg)
          ? 'a control character in a string'
          : 'invalid JSON';
      this.fail(off, `${why} in ${what} near byte ${off}`, 'syntax');
      return;
    }
    if (kind === C_ENTRY) {
      const r = readEntry(v);
      if (typeof r === 'string') {
        this.fail(at, `${what} at byte ${at} ${r}: this is not a HAR entry`, 'not-a-har');
        return;
      }
      if (slots.length) this.resolve(r, slots);
      const index = this.count++;
      this.onEntry(r, index);
    } else {
      if (slots.length) {
        const box = { v };
        this.resolve(box, slots);
        v = box.v;
      }
      this.setMeta(key, v);
    }
  }

  private setMeta(key: string, v: unknown): void {
    const m = this.meta;
    if (key === 'version') {
      if (typeof v !== 'string') return;
      m.version = v;
    } else if (key === 'creator' || key === 'browser') {
      if (!isObj(v)) return;
      if (typeof v.name !== 'string') v.name = asString(v.name);
      m[key] = v as unknown as HarMeta['creator'];
    } else if (key === 'pages') {
      if (!Array.isArray(v)) return;
      m.pages = v.filter(isObj) as HarMeta['pages'];
    } else {
      return;
    }
    this.onMeta?.({ ...m });
  }

  /** Puts the long strings back where their markers are. */
  private resolve(root: object, slots: Slot[]): void {
    const marker = this.marker;
    let left = slots.length;
    const place = (parent: Obj | unknown[], key: string | number, s: string): void => {
      const k = Number(s.slice(marker.length));
      const slot = slots[k];
      if (slot === undefined) return;
      slots[k] = undefined as unknown as Slot;
      left--;
      if (this.lazy) defineLazy(parent, key, slot.bytes);
      else (parent as Obj)[key] = decodeJsonString(slot.bytes);
      if (slot.from !== undefined && !Array.isArray(parent)) parent._why401TruncatedFrom = slot.from;
    };
    const visit = (node: Obj | unknown[]): void => {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length && left > 0; i++) {
          const v = node[i];
          if (typeof v === 'string') {
            if (v.startsWith(marker)) place(node, i, v);
          } else if (typeof v === 'object' && v !== null) visit(v as Obj);
        }
      } else {
        for (const k of Object.keys(node)) {
          if (left === 0) return;
          const v = node[k];
          if (typeof v === 'string') {
            if (v.startsWith(marker)) place(node, k, v);
          } else if (typeof v === 'object' && v !== null) visit(v as Obj);
        }
      }
    };
    visit(root as Obj);
  }
}
