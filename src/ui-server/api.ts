import type { IncomingMessage, ServerResponse } from 'node:http';
import { VERSION } from '../core/version.js';
import type { ArgsOptions } from '../diagnose/request.js';
import type { InspectTokenOptions } from '../diagnose/token.js';
import { isWhy401Error, UsageError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { HttpError, oneLine, readJsonBody, sendError, sendJson } from './http.js';
import { curlInput } from './input.js';

/**
 * The API of docs/UI.md ("API"). The caller has checked Host, Origin, Sec-Fetch-Site and the
 * launch secret. Reports come out of the core redacted, as the CLI prints them (never showSecrets).
 */

type Body = Record<string, unknown>;

function optString(b: Body, name: string): string | undefined {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new UsageError(`"${name}" must be a string`);
  return v;
}

function optBoolean(b: Body, name: string): boolean | undefined {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new UsageError(`"${name}" must be true or false`);
  return v;
}

function optStrings(b: Body, name: string): string[] | undefined {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    throw new UsageError(`"${name}" must be a list of strings`);
  return v as string[];
}

/**
 * The CLI's defaults for one run (probes and repairs on); only what the page may set on top. The
 * server's environment gives the proxies, as the CLI's does; never `$VAR`s of a paste (the
 * server's environment is not the person's), never a local file (input.ts refused them already).
 */
function requestOptions(b: Body): ArgsOptions {
  const o: ArgsOptions = { probes: true, repairs: true, env: process.env };
  const expect: NonNullable<ArgsOptions['expect']> = {};
  const issuer = optString(b, 'expectIssuer');
  const audience = optString(b, 'expectAudience');
  const scope = optStrings(b, 'expectScope');
  const replay = optBoolean(b, 'allowReplay');
  if (issuer) expect.issuer = issuer;
  if (audience) expect.audience = audience;
  if (scope && scope.length > 0) expect.scopes = scope;
  o.expect = expect;
  if (replay !== undefined) o.allowReplay = replay;
  return o;
}

async function diagnoseInput(b: Body): Promise<Report> {
  const input = optString(b, 'input');
  if (input === undefined) throw new UsageError('"input" is missing: a curl command, or a URL');
  const { mode, args } = curlInput(input, optString(b, 'method'));
  // Loaded on the first call: undici and the checks are not needed to show the page.
  const { diagnoseArgs } = await import('../diagnose/request.js');
  return (await diagnoseArgs(mode, args, requestOptions(b))).report;
}

async function inspectToken(b: Body): Promise<Report> {
  const raw = optString(b, 'token');
  if (raw === undefined) throw new UsageError('"token" is missing');
  const token = raw.trim().replace(/^bearer(\s+|$)/i, '');
  if (!token) throw new UsageError('the token is empty');
  const o: InspectTokenOptions = { env: process.env };
  const offline = optBoolean(b, 'offline');
  if (offline !== undefined) o.offline = offline;
  const { inspectToken } = await import('../diagnose/token.js');
  return inspectToken(token, o);
}

const ROUTES = new Map<string, { method: 'GET' | 'POST'; run: (b: Body) => Promise<unknown> }>([
  ['/api/hello', { method: 'GET', run: async () => ({ tool: 'why401', version: VERSION }) }],
  ['/api/diagnose', { method: 'POST', run: async (b) => ({ report: await diagnoseInput(b) }) }],
  ['/api/token', { method: 'POST', run: async (b) => ({ report: await inspectToken(b) }) }],
]);

export async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = ROUTES.get(path);
  if (!route) throw new HttpError(404, `no API ${path}`);
  if (req.method !== route.method)
    throw new HttpError(405, `${path} takes ${route.method}`, { Allow: route.method });
  const body = route.method === 'POST' ? await readJsonBody(req) : {};
  let answer: unknown;
  try {
    answer = await route.run(body);
  } catch (e) {
    // Input the CLI would refuse: its own one-line message. Anything else is a bug of ours.
    if (isWhy401Error(e)) return sendError(res, 400, e.message);
    return sendError(res, 500, `internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  sendJson(res, 200, answer);
}
