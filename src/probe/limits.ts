/** Every network wait has a timeout and every body a cap. One place for the numbers. */
export const LIMITS = {
  /** Decoded bytes of a response body kept for diagnosis (issue 2: 1 MiB, counted after decompression). */
  bodyCap: 1024 * 1024,
  /** Encoded bytes read from the wire before giving up on a body, even when it decodes to little. */
  wireCap: 8 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  /** The whole run, unless -m says otherwise. */
  runTimeoutMs: 30_000,
  maxRedirects: 10,
  /** Response header block, as Node's own default (http.maxHeaderSize). */
  maxHeaderSize: 16 * 1024,
} as const;
