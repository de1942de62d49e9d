import { Transform, Writable, pipeline, type Readable } from 'node:stream';
import { LIMITS } from './limits.js';

/**
 * A decoder per Content-Encoding token (RFC 9110 §8.4.1). Unknown codings are read as they are.
 * node:zlib loads on the first encoded body: the reader is on the boot path of the user's request
 * (boot-exchange.ts), and most refusals come unencoded.
 */
function decoderFor(coding: string): Transform | undefined {
  const zlib = () => process.getBuiltinModule('node:zlib');
  switch (coding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib().createGunzip();
    case 'deflate':
      return zlib().createInflate();
    case 'br':
      return zlib().createBrotliDecompress();
    default:
      return undefined;
  }
}

export interface BodyRead {
  text: string;
  /** Decoded bytes kept; when truncated, at most the cap. */
  bytes: number;
  /** Encoded bytes that came off the wire (before any decoder). */
  wireBytes: number;
  truncated: boolean;
  /** Set when the body could not be decoded (broken gzip): the text is what decoded before that. */
  decodeError?: string;
  /**
   * Set when the body itself broke off: the connection closed before the body's end, no data came
   * within the body timeout, or the run's signal aborted it. The error as the stream raised it,
   * for the transport to classify; the text is what arrived before.
   */
  broken?: unknown;
}

/** Not failures: the reasons we stop reading on purpose. */
class Stop extends Error {
  constructor(readonly why: 'decoded-cap' | 'wire-cap') {
    super(why);
  }
}

/**
 * Reads a body up to the cap, counting *decoded* bytes so that a compression bomb stops at
 * 1 MiB of output however small it is on the wire; the encoded side has its own cap.
 *
 * Every stage runs under one `pipeline`, never `.pipe()`: `.pipe()` does not forward a source's
 * 'error', so a body that broke off (a connection closed mid-body, undici's body timeout) used to
 * leave the decoder waiting for an end that never came. That promise never settled, no timer was
 * left to keep Node alive, and the process exited 0 without a word (issue 13). With `pipeline`
 * the first error of any stage ends the read and destroys every stage, undici's body included,
 * which closes the socket.
 */
export function readBody(body: Readable, contentEncoding: string | undefined): Promise<BodyRead> {
  const decoders = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c.toLowerCase() !== 'identity')
    .reverse()
    .map(decoderFor)
    .filter((d): d is Transform => d !== undefined);

  let wireBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      wireBytes += chunk.length;
      if (wireBytes > LIMITS.wireCap) cb(new Stop('wire-cap'));
      else cb(null, chunk);
    },
  });

  const chunks: Buffer[] = [];
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const room = LIMITS.bodyCap - bytes;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        bytes += room;
        // At the cap, at once: failing this write makes `pipeline` destroy the decoders and the
        // body (undici then closes the socket), so a bomb is not inflated a byte further.
        cb(new Stop('decoded-cap'));
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
      cb();
    },
  });

  // Which stage failed first decides what the failure means: undici's body is the transport's
  // (closed, timed out, aborted); a decoder's is a broken encoding of a body that did arrive.
  // `pipeline` hands every stage the first error, so the body raises a decoder's error too: the
  // order of the 'error' events tells them apart (these listeners run before pipeline's own).
  let first: { from: 'body' | 'decoder'; error: unknown } | undefined;
  body.once('error', (error) => (first ??= { from: 'body', error }));
  for (const d of decoders) d.once('error', (error) => (first ??= { from: 'decoder', error }));

  return new Promise((resolve) => {
    pipeline([body, counter, ...decoders, sink], (err) => {
      const result: BodyRead = {
        text: new TextDecoder().decode(Buffer.concat(chunks)),
        bytes,
        wireBytes,
        truncated: false,
      };
      if (err instanceof Stop) result.truncated = true;
      else if (err && first?.from === 'body') {
        result.broken = first.error;
        result.truncated = true;
      } else if (err) {
        result.decodeError = err instanceof Error ? err.message : String(err);
        result.truncated = true;
      }
      resolve(result);
    });
  });
}
