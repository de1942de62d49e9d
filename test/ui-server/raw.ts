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

/** A link `why401 ui` prints or opens: `http://127.0.0.1:PORT/#ticket=T`. */
export const LINK = /^http:\/\/127\.0\.0\.1:(\d+)\/#ticket=([A-Za-z0-9_-]{43})$/;

/** Trades a link's one-time ticket for the key, as the page does when it loads (POST /api/key). */
export function exchange(port: number, ticket: string): Promise<RawAnswer> {
  return raw(port, {
    method: 'POST',
    path: '/api/key',
    headers: {
      Origin: `http://127.0.0.1:${port}`,
      'Sec-Fetch-Site': 'same-origin',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ ticket }),
  });
}

/** The port and the key behind a printed link (spends its ticket). */
export async function keyOf(link: string): Promise<{ port: number; key: string }> {
  const m = LINK.exec(link);
  if (!m) throw new Error(`not a why401 ui link: ${link}`);
  const port = Number(m[1]);
  const r = await exchange(port, m[2]!);
  if (r.status !== 200) throw new Error(`POST /api/key answered ${r.status}: ${r.body}`);
  return { port, key: (JSON.parse(r.body) as { key: string }).key };
}
