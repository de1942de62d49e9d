import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Real Python web stacks from Debian's packages (python3-djangorestframework, python3-fastapi with
 * python3-uvicorn, python3-flask-httpauth), each a small app in test/fixtures/servers/python/ run by
 * Debian's own interpreter, `/usr/bin/python3` (the `python3` on PATH may be another one, without
 * these packages):
 *
 *   /usr/bin/python3 test/fixtures/servers/python/<app>.py PORT
 *
 * The port is a free one found here (uvicorn and Django's runserver cannot report an ephemeral
 * port back), the app binds 127.0.0.1 only, and `start` waits until its `/healthz` answers 200,
 * with a timeout. `close()` kills the process (SIGTERM, then SIGKILL).
 */

export const PYTHON = '/usr/bin/python3';

export type PythonStack = 'drf' | 'fastapi' | 'flask';

const APP: Record<PythonStack, string> = {
  drf: 'drf_app.py',
  fastapi: 'fastapi_app.py',
  flask: 'flask_app.py',
};

/** What each app imports; a missing one makes its tests skip with the Debian package named. */
const IMPORTS: Record<PythonStack, { modules: string[]; packages: string }> = {
  drf: {
    modules: ['django', 'rest_framework', 'rest_framework.authtoken'],
    packages: 'python3-djangorestframework',
  },
  fastapi: {
    modules: ['fastapi', 'fastapi.security', 'uvicorn'],
    packages: 'python3-fastapi python3-uvicorn',
  },
  flask: { modules: ['flask', 'flask_httpauth', 'werkzeug.security'], packages: 'python3-flask-httpauth' },
};

const FIXTURES = fileURLToPath(new URL('../fixtures/servers/python/', import.meta.url));

/** The fixed credentials the apps know (mirrors the constants in the Python sources). */
export const PY_CREDENTIALS = {
  /** DRF: bob's `rest_framework.authtoken` key, and his password for the session login. */
  drfToken: '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
  drfUser: { name: 'bob', password: 'secret' },
  /** FastAPI: the HTTPBearer token, the X-API-Key, the OAuth2PasswordBearer access token. */
  fastapiBearer: 'fa-bearer-7c1d2e9b5a',
  fastapiApiKey: 'fa-key-3f6a90c2d1',
  fastapiOauth2: 'fa-oauth2-access-51b7e0',
  /** FastAPI /jwt/me: the HS256 key, issuer and audience it verifies. */
  fastapiJwt: {
    secret: 'why401-fastapi-hs256-test-secret',
    issuer: 'why401-fastapi-auth',
    audience: 'https://fastapi.why401.test',
  },
  /** Flask-HTTPAuth: the Basic user and the Bearer token. */
  flaskUser: { name: 'bob', password: 'secret' },
  flaskToken: 'fl-token-2b8c4d6e0f',
} as const;

export interface PythonServer {
  stack: PythonStack;
  url: string;
  port: number;
  /** What the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Whether each stack can run here: `undefined` when it can, else the reason (to skip with). Checks
 * the interpreter and the imports, once.
 */
export function pythonStacksAvailable(): Record<PythonStack, string | undefined> {
  cached ??= probeStacks();
  return cached;
}
let cached: Record<PythonStack, string | undefined> | undefined;

function probeStacks(): Record<PythonStack, string | undefined> {
  const out = {} as Record<PythonStack, string | undefined>;
  for (const stack of Object.keys(APP) as PythonStack[]) {
    const { modules, packages } = IMPORTS[stack];
    if (!existsSync(PYTHON)) {
      out[stack] = `${PYTHON} is not installed (apt-get install -y python3 ${packages})`;
      continue;
    }
    const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
      encoding: 'utf8',
      timeout: 20_000,
      env: pythonEnv(),
    });
    out[stack] =
      r.status === 0
        ? undefined
        : `${PYTHON} cannot import ${modules.join(', ')} (apt-get install -y ${packages}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop() ?? ''}`;
  }
  return out;
}

function pythonEnv(): NodeJS.ProcessEnv {
  // No user site, no pyenv or virtualenv leaking in: Debian's dist-packages only.
  return {
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
    PYTHONUNBUFFERED: '1',
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** One GET of `url`: its status, or undefined when nothing answers (yet). */
function probe(url: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Every app still running: killed when this process exits, even when a test run dies without afterAll. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function kill(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts one app on a free port of 127.0.0.1 and waits (at most `timeoutMs`) until it answers. */
export async function startPythonServer(
  stack: PythonStack,
  opts: { timeoutMs?: number } = {},
): Promise<PythonServer> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  // A port found free can be taken before the app binds it: try again on another one.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(PYTHON, [FIXTURES + APP[stack], String(port)], {
      cwd: FIXTURES,
      env: pythonEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const keep = (b: Buffer) => {
      log = (log + b.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (e) => keep(Buffer.from(`spawn error: ${e.message}\n`)));
    live.add(child);
    child.once('exit', () => live.delete(child));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    let status: number | undefined;
    while (Date.now() < deadline && !exited(child)) {
      status = await probe(`${url}/healthz`, 1000);
      if (status === 200) break;
      await sleep(100);
    }
    if (status === 200) {
      return { stack, url, port, output: () => log, close: () => kill(child) };
    }
    await kill(child);
    lastError = new Error(
      exited(child) && !/already in use/i.test(log)
        ? `${stack} app exited before answering (code ${String(child.exitCode)}):\n${log}`
        : `${stack} app did not answer ${url}/healthz within ${timeoutMs} ms:\n${log}`,
    );
    if (!/already in use/i.test(log)) break;
  }
  throw lastError ?? new Error(`${stack} app did not start`);
}
