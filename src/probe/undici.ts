import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici that the probes use, loaded one by one instead of through undici's index.
 * The index loads everything (fetch, WebSocket, caches, mocks): 90–125 ms on the project's machine,
 * against ~40 ms for these three, and that time sits before the first request leaves. The paths
 * are undici 7's (package.json pins ~7.30; test/probe/undici.test.ts fails loudly if they move).
 */
const require = createRequire(import.meta.url);

export const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
export const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent;
export const EnvHttpProxyAgent =
  require('undici/lib/dispatcher/env-http-proxy-agent') as typeof Undici.EnvHttpProxyAgent;
const apiRequest = require('undici/lib/api/api-request') as (
  this: Undici.Dispatcher,
  opts: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>;

export type Dispatcher = Undici.Dispatcher;
export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & {
  dispatcher: Undici.Dispatcher;
};

/** undici's `request(url, opts)`, as its index builds it: origin and path from the URL, on the given dispatcher. */
export function request(url: string, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const u = new URL(url);
  const { dispatcher, ...rest } = opts;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
  });
}
