import type { IncomingMessage, ServerResponse } from 'node:http';

/** A refusal with its status; its message is one line, shown to the user as `{"error": message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Errors never carry a stack trace or a second line. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: oneLine(message) }, headers);
}

export function oneLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
}

/** API bodies are small JSON documents: a pasted command, a token. */
export const MAX_BODY = 1024 * 1024;

/** The JSON object in the request body: 415 for another type, 413 beyond MAX_BODY, 400 for bad JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'the body must be application/json');
  const declared = Number(req.headers['content-length'] ?? 0);
  // Refused before reading; Node discards the unread body once the answer is sent.
  if (declared > MAX_BODY) throw new HttpError(413, `the body is larger than ${MAX_BODY} bytes`);
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) return void chunks.push(chunk);
      // A chunked body with no length: stop keeping it and let the rest drain (not destroyed, so
      // the 413 still reaches the client).
      req.off('data', onData);
      req.resume();
      reject(new HttpError(413, `the body is larger than ${MAX_BODY} bytes`));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
