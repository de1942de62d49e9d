import type { HeaderList } from '../../model/http.js';
import { headerValues } from '../../model/http.js';
import { identifyLayer } from '../gateways.js';

/**
 * What else a refusal written by ASP.NET Core's JwtBearer handler looks like, beyond its words.
 * The words alone ("The token is expired", "The audience is invalid") are shared: why401/server
 * writes them on purpose, and any server may. So they name the cause, and name ASP.NET only when
 * nothing else in the response says another program wrote it.
 *
 * - JwtBearerHandler.HandleChallengeAsync sets the status and appends WWW-Authenticate, and writes
 *   no body (dotnet/aspnetcore:src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs). The
 *   one body ASP.NET itself adds to such an empty 401 is the ProblemDetails of UseStatusCodePages
 *   with AddProblemDetails, whose `type` for a status is a tools.ietf.org RFC link
 *   (dotnet/aspnetcore:src/Shared/ProblemDetails/ProblemDetailsDefaults.cs: 401 →
 *   "https://tools.ietf.org/html/rfc7235#section-3.1", rfc9110 in later releases). Any other body,
 *   such as a problem+json with `type: about:blank`, was written by something else.
 * - Kestrel sends `Server: Kestrel` unless AddServerHeader is turned off (default true:
 *   https://learn.microsoft.com/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserveroptions.addserverheader);
 *   behind IIS or HTTP.sys the header names those. A proxy, CDN or gateway in front may put its own
 *   (identifyLayer knows them): that says nothing about the application. Any other Server names
 *   another application server.
 * - IIS adds `X-Powered-By: ASP.NET`; Express adds `X-Powered-By: Express`, PHP its version.
 */

const MICROSOFT_SERVER = /^(?:Kestrel|Microsoft-IIS\/|Microsoft-HTTPAPI\/)/i;
const ASPNET_PROBLEM_TYPE = /^https:\/\/tools\.ietf\.org\/html\/rfc\d+#section-/;

/** The part of a refusal the frame reads (ServerMessageInput). */
export interface FrameInput {
  body: string;
  bodyJson?: unknown;
  headers: HeaderList;
}

function aspnetBody(x: FrameInput): boolean {
  if (x.body.trim() === '') return true;
  const j = x.bodyJson;
  if (!j || typeof j !== 'object' || Array.isArray(j)) return false;
  const type = (j as { type?: unknown }).type;
  return typeof type === 'string' && ASPNET_PROBLEM_TYPE.test(type);
}

function aspnetServer(headers: HeaderList): boolean {
  const servers = headerValues(headers, 'server');
  if (servers.length === 0) return true;
  const inFront = new Set(
    identifyLayer(headers)
      .filter((h) => h.header === 'server')
      .map((h) => h.value),
  );
  return servers.every((s) => MICROSOFT_SERVER.test(s.trim()) || inFront.has(s));
}

function aspnetPoweredBy(headers: HeaderList): boolean {
  return headerValues(headers, 'x-powered-by').every((v) => /^ASP\.NET\b/i.test(v.trim()));
}

/** Whether the response could be ASP.NET Core JwtBearer's own challenge: no evidence says otherwise. */
export function fitsAspnetChallenge(x: FrameInput): boolean {
  return aspnetBody(x) && aspnetServer(x.headers) && aspnetPoweredBy(x.headers);
}
