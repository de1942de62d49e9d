import type {
  Evidence,
  Exchange,
  IdpEvidence,
  ProxyInfo,
  RequestSpec,
  TlsInfo,
} from '../../src/model/evidence.js';
import type { HeaderList } from '../../src/model/http.js';
import { preflightHeaders } from '../../src/spec/cors.js';
import { proxyDisplay } from '../../src/parse/proxy-url.js';

/** Compact input for building evidence in test tables. */
export interface EvInput {
  method?: string;
  url?: string;
  /** Request headers: a list (order, duplicates) or a record. */
  headers?: HeaderList | Record<string, string>;
  body?: string;
  /** Final response of the main probe; omit for an unreachable target (see `error`). */
  status?: number;
  responseHeaders?: HeaderList | Record<string, string | string[]>;
  responseBody?: string;
  /** Earlier hops of the main probe (redirects), before the final response. */
  hops?: Array<
    Partial<Exchange> & {
      status: number;
      url?: string;
      responseHeaders?: HeaderList | Record<string, string>;
    }
  >;
  /** Headers the client dropped on the final hop. */
  dropped?: string[];
  /** The anonymous probe's response. */
  anonymous?: {
    status: number;
    responseHeaders?: HeaderList | Record<string, string | string[]>;
    responseBody?: string;
  };
  error?: Exchange['error'];
  /** The TLS session of the final main exchange (its chain, Node's verdict), as the TLS probe records it. */
  tls?: TlsInfo;
  /**
   * The proxy in effect (issue 4). Unless NO_PROXY exempted the target (`bypassed`), the main
   * probe's exchanges record it in `via`, as shown (no credentials).
   */
  proxy?: ProxyInfo;
  /** The user's request sent again without the proxy (probe `direct`, one hop): its response or error. */
  direct?: {
    status?: number;
    responseHeaders?: HeaderList | Record<string, string | string[]>;
    responseBody?: string;
    error?: Exchange['error'];
  };
  /** Local clock at the start, epoch ms. Defaults to 2026-11-27T12:00:00Z. */
  now?: number;
  cookieJar?: RequestSpec['cookieJar'];
  /** curl's --digest/--ntlm/--negotiate/--anyauth with -u: the credentials given but not sent. */
  credentialsHeldFor?: string[];
  /** A browser's HAR exported without credentials. */
  credentialsHidden?: boolean;
  expect?: Evidence['expect'];
  /** --openapi: the document's summary. */
  openapi?: Evidence['openapi'];
  /** --offline: nothing sent, no exchanges. */
  offline?: boolean;
  source?: Evidence['source'];
  /** What the identity provider and the resource's metadata said (issue 3). */
  idp?: IdpEvidence;
  /**
   * The user's request replayed with a freshly issued token (probe `fresh`, one hop): its response,
   * or a transport error. The request carries `Authorization: Bearer <token>` (default: a placeholder).
   */
  fresh?: {
    status?: number;
    responseHeaders?: HeaderList | Record<string, string | string[]>;
    responseBody?: string;
    error?: Exchange['error'];
    token?: string;
  };
  /**
   * --origin: the page origin (sets `browserOrigin`). The main probe's requests then carry
   * `Origin`, as the browser's actual request does.
   */
  origin?: string;
  /** The browser's CORS preflight (probe `preflight`, needs `origin`): its answer. */
  preflight?: {
    status: number;
    responseHeaders?: HeaderList | Record<string, string | string[]>;
  };
}

export const NOW = Date.parse('2026-11-27T12:00:00Z');

export function list(h: HeaderList | Record<string, string | string[]> | undefined): HeaderList {
  if (!h) return [];
  if (Array.isArray(h)) return h;
  const out: HeaderList = [];
  for (const [k, v] of Object.entries(h)) for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  return out;
}

function response(status: number, headers: HeaderList, body = '') {
  return { status, headers, body, bodyBytes: body.length, bodyTruncated: false };
}

/** Builds evidence as the probes would have gathered it. */
export function ev(i: EvInput = {}): Evidence {
  const now = i.now ?? NOW;
  const method = i.method ?? 'GET';
  const url = i.url ?? 'https://api.example.com/v1/me';
  const headers = list(i.headers);
  const sent: HeaderList = i.origin ? [...headers, ['Origin', i.origin]] : headers;
  const request: RequestSpec = {
    method,
    url,
    headers,
    followRedirects: false,
    insecure: false,
    compressed: false,
  };
  if (i.body !== undefined) request.body = i.body;
  if (i.cookieJar) request.cookieJar = i.cookieJar;
  if (i.credentialsHeldFor) request.credentialsHeldFor = i.credentialsHeldFor;
  if (i.credentialsHidden) request.credentialsHidden = true;
  const exchanges: Exchange[] = [];
  let hop = 0;
  let hopUrl = url;
  let hopHeaders = sent;
  for (const h of i.hops ?? []) {
    exchanges.push({
      probe: 'main',
      hop,
      request: { method, url: h.url ?? hopUrl, headers: hopHeaders },
      response: response(h.status, list(h.responseHeaders)),
      startedAt: now,
      ms: 10,
    });
    hop++;
    const loc = list(h.responseHeaders).find(([n]) => n.toLowerCase() === 'location')?.[1];
    if (loc) hopUrl = new URL(loc, h.url ?? hopUrl).toString();
  }
  if (i.dropped) hopHeaders = sent.filter(([n]) => !i.dropped!.includes(n.toLowerCase()));
  const last: Exchange = {
    probe: 'main',
    hop,
    request: { method, url: hopUrl, headers: hopHeaders },
    startedAt: now,
    ms: 10,
  };
  if (i.dropped) last.droppedHeaders = i.dropped;
  if (i.tls) last.tls = i.tls;
  if (i.error) last.error = i.error;
  else last.response = response(i.status ?? 401, list(i.responseHeaders), i.responseBody ?? '');
  exchanges.push(last);
  if (i.anonymous) {
    exchanges.push({
      probe: 'anonymous',
      hop: 0,
      request: { method, url, headers: [] },
      response: response(
        i.anonymous.status,
        list(i.anonymous.responseHeaders),
        i.anonymous.responseBody ?? '',
      ),
      startedAt: now,
      ms: 10,
    });
  }
  if (i.fresh) {
    const fresh: Exchange = {
      probe: 'fresh',
      hop: 0,
      request: {
        method,
        url,
        headers: [
          ...headers.filter(([n]) => n.toLowerCase() !== 'authorization'),
          ['Authorization', `Bearer ${i.fresh.token ?? 'fresh-access-token'}`],
        ],
      },
      startedAt: now,
      ms: 10,
    };
    if (i.fresh.error) fresh.error = i.fresh.error;
    else
      fresh.response = response(
        i.fresh.status ?? 200,
        list(i.fresh.responseHeaders),
        i.fresh.responseBody ?? '',
      );
    exchanges.push(fresh);
  }
  if (i.proxy && !i.proxy.bypassed)
    for (const x of exchanges) if (x.probe === 'main') x.via = proxyDisplay(i.proxy.url);
  if (i.direct) {
    const direct: Exchange = {
      probe: 'direct',
      hop: 0,
      request: { method, url, headers: sent },
      startedAt: now,
      ms: 10,
    };
    if (i.direct.error) direct.error = i.direct.error;
    else
      direct.response = response(
        i.direct.status ?? 200,
        list(i.direct.responseHeaders),
        i.direct.responseBody ?? '',
      );
    exchanges.push(direct);
  }
  const out: Evidence = {
    now,
    source: i.source ?? 'flags',
    request,
    inputWarnings: [],
    exchanges,
    skippedProbes: [],
    expect: i.expect ?? {},
    offline: false,
  };
  if (i.idp) out.idp = i.idp;
  if (i.proxy) out.proxy = i.proxy;
  if (i.openapi) out.openapi = i.openapi;
  if (i.offline) {
    out.offline = true;
    out.exchanges = [];
  }
  if (i.origin) {
    out.browserOrigin = i.origin;
    if (i.preflight) {
      exchanges.push({
        probe: 'preflight',
        hop: 0,
        request: { method: 'OPTIONS', url, headers: preflightHeaders(request, i.origin) },
        response: response(i.preflight.status, list(i.preflight.responseHeaders)),
        startedAt: now,
        ms: 10,
      });
    }
  }
  return out;
}
