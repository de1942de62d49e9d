import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici that the probes use, loaded one by one instead of through undici's index,
 * and only when a request needs them. The index loads everything (fetch, WebSocket, caches,
 * mocks): 90–125 ms on the project's machine, against ~40 ms for these. And a diagnosis whose
 * requests all left at boot on node:http (cli/early.ts, issue 16) may need none: a warm run
 * would spend those ~40 ms of its one round trip compiling a client it never uses. The paths are
 * undici 7's (package.json pins ~7.30; test/probe/undici.test.ts fails loudly if they move).
 */
const require = createRequire(import.meta.url);

interface Parts {
  Agent: typeof Undici.Agent;
  ProxyAgent: typeof Undici.ProxyAgent;
  Pool: typeof Undici.Pool;
  buildConnector: typeof Undici.buildConnector;
  apiRequest: (
    this: Undici.Dispatcher,
    opts: Undici.Dispatcher.RequestOptions,
  ) => Promise<Undici.Dispatcher.ResponseData>;
}

let parts: Parts | undefined;

/** undici's parts, loaded on first use. */
export function undici(): Parts {
  return (parts ??= {
    Agent: require('undici/lib/dispatcher/agent') as typeof Undici.Agent,
    ProxyAgent: require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent,
    Pool: require('undici/lib/dispatcher/pool') as typeof Undici.Pool,
    buildConnector: require('undici/lib/core/connect') as typeof Undici.buildConnector,
    apiRequest: require('undici/lib/api/api-request') as Parts['apiRequest'],
  });
}

export type Dispatcher = Undici.Dispatcher;
export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & {
  dispatcher: Undici.Dispatcher;
};

/** undici's `request(url, opts)`, as its index builds it: origin and path from the URL, on the given dispatcher. */
export function request(url: string, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const u = new URL(url);
  const { dispatcher, ...rest } = opts;
  return undici().apiRequest.call(dispatcher, {
    ...rest,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
  });
}
