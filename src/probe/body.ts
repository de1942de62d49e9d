import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { LIMITS } from './limits.js';

/** A decoder per Content-Encoding token (RFC 9110 §8.4.1). Unknown codings are read as they are. */
function decoderFor(coding: string): Transform | undefined {
  switch (coding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

export interface BodyRead {
  text: string;
  bytes: number;
  truncated: boolean;
  /** Set when the body could not be decoded (broken gzip): the text is then what was read raw. */
  decodeError?: string;
}

/**
 * Reads a body up to the cap, counting *decoded* bytes so that a compression bomb stops at
 * 1 MiB of output however small it is on the wire; the encoded side has its own cap.
 */
export async function readBody(body: Readable, contentEncoding: string | undefined): Promise<BodyRead> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c.toLowerCase() !== 'identity');
  const decoders = codings
    .reverse()
    .map(decoderFor)
    .filter((d): d is Transform => d !== undefined);

  let wire = 0;
  let source: Readable = body;
  // Count wire bytes before any decoder.
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      wire += chunk.length;
      if (wire > LIMITS.wireCap) cb(new Error('body larger than the wire cap'));
      else cb(null, chunk);
    },
  });
  source = source.pipe(counter);
  for (const d of decoders) source = source.pipe(d);

  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  let decodeError: string | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const room = LIMITS.bodyCap - bytes;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        bytes += room;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    }
  } catch (e) {
    decodeError = e instanceof Error ? e.message : String(e);
    truncated = true;
  } finally {
    body.destroy();
    source.destroy();
  }
  const result: BodyRead = { text: new TextDecoder().decode(Buffer.concat(chunks)), bytes, truncated };
  if (decodeError !== undefined) result.decodeError = decodeError;
  return result;
}
