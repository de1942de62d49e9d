import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http.js';

/**
 * The built page (Vite's output in dist/ui/). `../../dist/ui/` points there both from the compiled
 * dist/ui-server/*.js and from src/ui-server/*.ts (tests run the sources).
 */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Shown at `/` when the page has not been built: the API works, there is just nothing to show. */
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>why401 ui</title></head>
<body><h1>why401 ui</h1><p>The web page is not built yet: run <code>npm run build</code> and start <code>why401 ui</code> again.</p></body></html>
`;

/**
 * The path inside the static folder that a request URL names, as relative segments. Refuses what a
 * browser never sends for a file of ours: `..` (raw or encoded), NUL, encoded slashes or backslashes
 * (they would let a segment smuggle a separator past the check), and hidden files.
 */
export function staticSegments(rawUrl: string): string[] {
  const path = rawUrl.split(/[?#]/)[0] ?? '';
  if (!path.startsWith('/')) throw new HttpError(400, 'bad path');
  if (/%(2f|5c|00)/i.test(path) || path.includes('\\') || path.includes('\0'))
    throw new HttpError(400, 'bad path');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new HttpError(400, 'bad path');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) throw new HttpError(400, 'bad path');
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) throw new HttpError(400, 'bad path');
  if (segments.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found');
  return segments.length === 0 ? ['index.html'] : segments;
}

async function fileIn(dir: string, segments: string[]): Promise<string | undefined> {
  try {
    const root = await realpath(dir);
    // realpath: a symlink inside the folder must not lead out of it either.
    const file = await realpath(join(root, ...segments));
    if (!file.startsWith(root + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** GET/HEAD of a file of the built page (the caller has checked the method and the request's origin). */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, dir: string): Promise<void> {
  const segments = staticSegments(req.url ?? '/');
  const file = await fileIn(dir, segments);
  if (!file) {
    if (segments.length === 1 && segments[0] === 'index.html') {
      res.writeHead(200, {
        'Content-Type': TYPES['.html']!,
        'Content-Length': Buffer.byteLength(NOT_BUILT),
      });
      return void res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
    }
    throw new HttpError(404, 'not found');
  }
  const size = (await stat(file)).size;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
  });
  if (req.method === 'HEAD') return void res.end();
  // A file that vanishes mid-way ends the connection: the status line has gone out already.
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}
