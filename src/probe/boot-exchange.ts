import type { ResponseData } from '../model/evidence.js';
import { readBody } from './body.js';
import { bodyTimeout, undiciHeaderList, type BootAnswer } from './boot-get.js';
import { classifyBodyError, classifyError } from './errors.js';
import { LIMITS } from './limits.js';
import type { WireResult } from './transport.js';

/**
 * The user's request (or its anonymous probe) sent at boot, made into the evidence transport.ts
 * would have made of it on undici (issue 16): the same header list, the body read and decoded by
 * the same reader under the same caps, a timeout classified from undici's own error. Anything
 * else that failed (refused, DNS, TLS, a reset, a response Node would not parse) is undefined:
 * the run then sends the request on its own transport, which reports the failure in its words.
 * Those fail before an answer, mostly before the request was written at all.
 */
export async function exchangeAnswer(a: BootAnswer, url: string): Promise<WireResult | undefined> {
  const ms = () => Math.round(performance.now() - a.t0);
  if (!('res' in a)) {
    if (a.phase === 'other') return undefined;
    return { startedAt: a.startedAt, ms: ms(), error: classifyError(a.failure, url) };
  }
  const res = a.res;
  // A status below 100 (000): Node reads it, undici refuses it; the run asks again and reports
  // undici's refusal (server.status-invalid reads that error, not a status).
  if ((res.statusCode ?? 0) < 100) {
    res.destroy();
    return undefined;
  }
  // In this very turn (see BootAnswer).
  res.setTimeout(LIMITS.bodyTimeoutMs, () => res.destroy(bodyTimeout()));
  const body = await readBody(res, res.headers['content-encoding']);
  const response: ResponseData = {
    status: res.statusCode ?? 0,
    headers: undiciHeaderList(res.rawHeaders),
    body: body.text,
    bodyBytes: body.bytes,
    bodyTruncated: body.truncated,
  };
  if (res.statusMessage) response.statusText = res.statusMessage;
  const result: WireResult = { startedAt: a.startedAt, ms: ms(), response };
  if (body.broken !== undefined)
    result.error = classifyBodyError(body.broken, body.wireBytes, LIMITS.bodyTimeoutMs);
  return result;
}
