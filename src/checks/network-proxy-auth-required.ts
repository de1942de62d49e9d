import { identifyFrontServers } from '../knowledge/front-servers.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValues } from '../model/http.js';
import { parseWwwAuthenticate } from '../parse/challenge.js';
import { defineCheck, type Draft } from './check.js';
import { probeName, responseHeader, responseStatus } from './cite.js';
import { PROXY_ERROR } from '../knowledge/proxy-failures.js';
import { proxyDisplay, proxyHasCredentials } from '../parse/proxy-url.js';
import { hostOf } from '../parse/url.js';

/**
 * RFC 9110 §15.5.8: 407 Proxy Authentication Required is the forward proxy's own refusal, with a
 * `Proxy-Authenticate` challenge (§11.7.1). The request never reached the API, and the API's
 * Authorization header does not satisfy the proxy: it wants its own credentials, in
 * `Proxy-Authorization` (curl: `-U/--proxy-user`, or a user and password in the proxy URL).
 */

export default defineCheck(
  {
    id: 'network.proxy-auth-required',
    plain: 'The proxy this computer uses wants its own sign-in before it lets the request through',
    directness: 0,
    absorbs: ['credentials.missing', 'credentials.rejected'],
    step: 5,
    kind: 'cause',
    title: 'The proxy wants its own credentials (407 Proxy Authentication Required)',
    fix: "Give the proxy its own credentials: `curl -U user:password` (`--proxy-user`), or `-x http://user:password@proxy:port`. They are the proxy's login, not the API's.",
    ref: 'RFC 9110 §15.5.8, §11.7.1',
    applies: (f) => (f.ev.proxy && !f.ev.proxy.bypassed ? undefined : 'no proxy was in effect'),
  },
  (f): Draft | undefined => {
    const x = f.final;
    const p = f.ev.proxy;
    if (!x) return;
    const tunnel407 = x.error?.code === PROXY_ERROR.tunnel && /\b407\b/.test(x.error.message);
    if (x.response?.status !== 407 && !tunnel407) return;
    const shown = p ? proxyDisplay(p.url) : 'the proxy';
    const host = hostOf(f.ev.request.url);
    const evidence: EvidenceItem[] = [];
    let schemes = '';
    let product = '';
    if (x.response) {
      evidence.push(responseStatus(x));
      const raw = headerValues(x.response.headers, 'proxy-authenticate');
      for (const c of raw) evidence.push(responseHeader(x, 'proxy-authenticate', c));
      schemes = [...new Set(parseWwwAuthenticate(raw).challenges.map((c) => c.scheme))].join(', ');
      const named = identifyFrontServers(x.response.headers, x.response.body)[0];
      if (named) {
        product = named.version ? `${named.product} ${named.version}` : named.product;
        evidence.push({ probe: probeName(x), where: named.quote.where, value: named.quote.value });
      }
    } else evidence.push({ probe: probeName(x), where: `error.${x.error!.phase}`, value: x.error!.code });
    if (p) evidence.push({ probe: 'input', where: 'proxy.url', value: shown });
    const had =
      (p && proxyHasCredentials(p.url)) || f.credentials.some((c) => c.kind === 'proxy-authorization');
    const who = product ? `The proxy ${shown} (${product})` : `The proxy ${shown}`;
    return {
      confidence: 'confirmed',
      title: had
        ? `${who} refused its credentials (407 Proxy Authentication Required)`
        : `${who} wants its own credentials (407 Proxy Authentication Required)`,
      detail: `The 407 is the proxy's answer, not the API's: the request never reached ${host}.${schemes ? ` The proxy asks for ${schemes} (Proxy-Authenticate).` : ''}${had ? ' Proxy credentials were sent and refused: check the user name and password for the proxy.' : ' No proxy credentials were sent.'}`,
      fix: had
        ? "Check the proxy user name and password (`-U user:password`); they are the proxy's login (often your network or domain account), not the API's."
        : undefined,
      evidence,
    };
  },
);
