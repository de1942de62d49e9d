import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Send the body in chunks without a Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

/**
 * One request with node:http, headers exactly as given: fetch forbids setting Host, Origin and the
 * Sec-Fetch-* headers, and normalizes `/../` and `%2e%2e` out of a path before sending it.
 */
export function raw(port: number, r: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined && !r.chunked) headers['Content-Length'] = Buffer.byteLength(r.body);
    const req = request(
      { host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path ?? '/', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (r.body !== undefined && r.chunked) {
      const b = Buffer.from(r.body);
      const step = 64 * 1024;
      for (let i = 0; i < b.length; i += step) req.write(b.subarray(i, i + step));
    } else if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** An API call the way the page makes it: the key, JSON, same origin. */
export function api(port: number, secret: string, path: string, body?: unknown): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    'X-Why401-Key': secret,
    Origin: `http://127.0.0.1:${port}`,
    'Sec-Fetch-Site': 'same-origin',
  };
  if (body === undefined) return raw(port, { path, headers });
  return raw(port, {
    method: 'POST',
    path,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}
