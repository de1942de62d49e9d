/** Every network wait has a timeout and every body a cap. One place for the numbers. */
export const LIMITS = {
  /** Decoded bytes of a response body kept for diagnosis (issue 2: 1 MiB, counted after decompression). */
  bodyCap: 1024 * 1024,
  /** Encoded bytes read from the wire before giving up on a body, even when it decodes to little. */
  wireCap: 8 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  /**
   * Silence in the middle of a body (undici's default is 300 s). Ten seconds without a byte after
   * the headers is a broken answer for an API, and the whole run must end within 20 s when a body
   * stalls (issue 13), with room for the probes that follow on a busy machine.
   */
  bodyTimeoutMs: 10_000,
  /**
   * The body timeout for a later request of the same run to an origin whose body already stalled:
   * the probes that follow the user's request (RFC 9728 metadata, repairs) would otherwise wait
   * another 10 s each on a server that has shown it stops sending, and a stalled body must end the
   * whole run within 20 s (issue 13).
   */
  bodyTimeoutAfterStallMs: 500,
  /** The whole run, unless -m says otherwise. */
  runTimeoutMs: 30_000,
  maxRedirects: 10,
  /** Response header block, as Node's own default (http.maxHeaderSize). */
  maxHeaderSize: 16 * 1024,
} as const;
