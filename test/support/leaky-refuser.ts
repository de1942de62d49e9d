import { startServer, type TestServer } from './http-server.js';

/**
 * The canary tests' server: it refuses every request with a bearer 401, sets a cookie holding the
 * canary and echoes the request's Authorization and the canary back in its body, the worst case
 * for a secret reaching why401's output.
 */
export function startLeakyRefuser(
  canary: string,
  extraHeaders: Record<string, string> = {},
): Promise<TestServer> {
  return startServer((req, res) => {
    res.writeHead(401, {
      'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      'Set-Cookie': `sid=${canary}; HttpOnly`,
      'Content-Type': 'application/json',
      ...extraHeaders,
    });
    res.end(JSON.stringify({ echoed: req.headers.authorization, access_token: canary }));
  });
}
