import type { HeaderList } from './http.js';

/**
 * `why401 diff GOOD BAD` as data: the two sides compared and the differences found between them
 * (src/har/diff.ts computes them, src/render/diff-text.ts prints them).
 */

export type DiffArea =
  'url' | 'origin' | 'method' | 'header' | 'cookie' | 'token' | 'redirect' | 'proxy' | 'status' | 'challenge';

export interface DiffItem {
  area: DiffArea;
  /** What differs: a header name, a cookie name, a claim (`exp`, `aud`), `host`, `path` … */
  name: string;
  /** The value on each side, secrets fingerprinted; null where the side has none. */
  good: string | null;
  bad: string | null;
  /** One or two sentences: why this difference can explain the refusal. */
  note: string;
}

export interface DiffRequest {
  method: string;
  url: string;
  headers: HeaderList;
  /** HAR `request.cookies`, used when the headers hold no Cookie line. */
  cookies?: Array<{ name: string; value: string }>;
}

export interface DiffResponse {
  status: number;
  statusText?: string;
  headers: HeaderList;
}

/** One earlier hop of a redirect chain: the request it sent and the answer it got. */
export interface DiffHop {
  method: string;
  url: string;
  headers: HeaderList;
  status?: number;
}

/** One side of the comparison: the request as sent (the final hop's), its answer, and how it got there. */
export interface DiffSide {
  request: DiffRequest;
  response?: DiffResponse;
  /** The hops that led to this request, oldest first (empty or absent: no redirect). */
  redirects?: DiffHop[];
  /** Epoch ms when the request was sent: token times are judged against it. */
  at?: number;
  /** The address that answered (HAR `serverIPAddress`). */
  serverIp?: string;
  /** The proxy the request went through, when known (curl -x, HTTPS_PROXY). */
  proxy?: string;
  /** Where the side came from, for the rendering: "bad.har entry 12", "curl command". */
  label?: string;
}
