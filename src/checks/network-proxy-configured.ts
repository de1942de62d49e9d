import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValues } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { probeName, responseStatus } from './cite.js';
import { lastHop } from './idp-util.js';
import { PROXY_ERROR, proxyLikeStatus } from '../knowledge/proxy-failures.js';
import { bypassSource } from './network-proxy-util.js';
import { parseProxyUrl, proxyDisplay, proxyHasCredentials } from '../parse/proxy-url.js';
import { hostOf } from '../parse/url.js';

/**
 * A proxy is in effect for the request (curl's rules: -x, then http_proxy / HTTPS_PROXY /
 * ALL_PROXY, minus NO_PROXY or --noproxy; resolved in src/probe/proxy.ts). Context normally; a
 * warning when the request failed through it, naming what the proxy itself said (407, a refused
 * tunnel, no connection) so a proxy's refusal is never read as the API's.
 */

function fromWords(source: string): string {
  return source === '-x' ? '-x/--proxy' : source;
}

export default defineCheck(
  {
    id: 'network.proxy-configured',
    plain: 'This computer sends its web traffic through a proxy',
    step: 5,
    kind: 'info',
    title: 'The request goes through a proxy',
    fix: 'If the request fails only through the proxy, ask its owner to pass Authorization through unchanged, or exempt this host with NO_PROXY or --noproxy; `why401 echo` placed behind the proxy shows what arrives.',
    ref: 'curl(1) ENVIRONMENT, --proxy, --noproxy; RFC 9110 §7.3.2 (absolute-form via a proxy), §9.3.6 (CONNECT), §15.5.8 (407)',
  },
  (f): Draft | undefined => {
    const p = f.ev.proxy;
    if (!p) return;
    const shown = proxyDisplay(p.url);
    const host = hostOf(f.ev.request.url);
    const evidence: EvidenceItem[] = [
      { probe: 'input', where: 'proxy.url', value: shown },
      { probe: 'input', where: 'proxy.source', value: p.source },
    ];

    if (p.bypassed) {
      const src = bypassSource(f.ev);
      evidence.push({ probe: 'input', where: 'proxy.bypass', value: `${src} ${p.bypassRule ?? ''}`.trim() });
      return {
        kind: 'info',
        confidence: 'confirmed',
        title: `${src} exempts ${host} from the proxy: the request went direct`,
        detail: `A proxy is configured (${shown}, from ${fromWords(p.source)}), but the ${src} entry \`${p.bypassRule ?? ''}\` matches ${host}, so curl, and why401 with it, connect to the host directly. A client that reads NO_PROXY differently (or not at all) sends this request through the proxy instead.`,
        fix: 'Nothing to change for this request. If another client fails where curl succeeds, check whether it honours NO_PROXY the way curl does.',
        evidence,
      };
    }

    const parsed = parseProxyUrl(p.url);
    const https = f.ev.request.url.toLowerCase().startsWith('https:');
    const notes: string[] = [];
    if (!('problem' in parsed) && parsed.defaultPort)
      notes.push(`No port is written in the proxy URL, so curl uses ${parsed.port}.`);
    if (proxyHasCredentials(p.url))
      notes.push(
        'The proxy URL carries a user name and password (sent to the proxy as Proxy-Authorization; not shown).',
      );
    notes.push(
      https
        ? 'An https:// request passes the proxy inside a CONNECT tunnel: the proxy sees the host and port only, unless it intercepts TLS.'
        : 'An http:// request goes to the proxy in absolute form (`GET http://host/path`): the proxy reads every header, Authorization included, and can change or drop it.',
    );
    const base = `The request went through the proxy ${shown} (from ${fromWords(p.source)}).`;
    const x = f.final;
    const direct = lastHop(f, 'direct');

    if (!x) {
      return {
        kind: 'info',
        confidence: 'confirmed',
        title: `A proxy is in effect: ${shown} (from ${fromWords(p.source)})`,
        detail: `Requests to ${host} would go through the proxy ${shown}. ${notes.join(' ')}`,
        evidence,
      };
    }

    const warn = (title: string, detail: string, more: EvidenceItem[], fix?: string): Draft => {
      const d: Draft = {
        kind: 'warning',
        confidence: 'confirmed',
        title,
        detail: `${base} ${detail} ${notes.join(' ')}`.trim(),
        evidence: [...evidence, ...more],
      };
      if (fix) d.fix = fix;
      return d;
    };

    // A 407 is network.proxy-auth-required's diagnosis; here the proxy is only named.
    const tunnel407 = x.error?.code === PROXY_ERROR.tunnel && /\b407\b/.test(x.error.message);
    if (x.response?.status === 407 || tunnel407) {
      return {
        kind: 'info',
        confidence: 'confirmed',
        title: `The request goes through the proxy ${shown} (from ${fromWords(p.source)})`,
        detail: `${base} ${notes.join(' ')}`,
        evidence,
      };
    }

    if (x.error) {
      const err: EvidenceItem = { probe: probeName(x), where: `error.${x.error.phase}`, value: x.error.code };
      if (x.error.code === PROXY_ERROR.tunnel) {
        return warn(
          `The proxy ${shown} refused to open a tunnel to ${host}`,
          `${x.error.message}. The request never reached ${host}.`,
          [err],
          `Ask the proxy's owner to allow CONNECT to ${host}, or exempt the host with NO_PROXY or --noproxy if it is reachable directly.`,
        );
      }
      if (x.error.code === PROXY_ERROR.unsupported || x.error.code === PROXY_ERROR.invalid) {
        return warn(
          `why401 could not use the proxy ${shown}`,
          `${x.error.message}.`,
          [err],
          "Test without the proxy (--noproxy '*' or -x ''), or give an http:// proxy with -x.",
        );
      }
      if (x.error.phase !== 'refused-by-tool' && x.error.phase !== 'aborted') {
        const tls = x.error.phase === 'tls';
        return warn(
          tls
            ? `The TLS connection through the proxy ${shown} failed`
            : `The request failed on its way through the proxy ${shown}`,
          tls
            ? `${x.error.message}. Through a proxy, a certificate the system does not trust is often the proxy's own: a TLS-intercepting proxy presents a certificate of its own CA.`
            : `Every connection goes to the proxy, so this failure is the proxy's: ${x.error.message}.`,
          [err, ...directEvidence(direct)],
          tls
            ? "Trust the proxy's CA (--cacert with its certificate) if the interception is expected, or exempt the host with NO_PROXY or --noproxy."
            : "Check the proxy address and port in the proxy setting, and whether this network needs that proxy at all (--noproxy or -x '' to test without it).",
        );
      }
      return;
    }

    const status = x.response?.status;
    if (status === 401 || status === 403) {
      const d = direct?.response?.status;
      const challenges = (e: Exchange | undefined) =>
        e?.response ? headerValues(e.response.headers, 'www-authenticate').join('\n') : '';
      if (direct && d === status && challenges(direct) === challenges(x)) {
        return {
          kind: 'info',
          confidence: 'confirmed',
          title: `The proxy is not the difference: sent directly, the request is refused the same way (${status})`,
          detail: `${base} Sent again without the proxy, it answered ${d} as well, so the refusal does not depend on the proxy. ${notes.join(' ')}`,
          fix: 'Look at the credentials and the other findings: the proxy does not change the outcome.',
          evidence: [...evidence, responseStatus(x), ...directEvidence(direct)],
        };
      }
      const directWords =
        direct?.response !== undefined
          ? ` Sent again without the proxy, it answered ${direct.response.status}${
              d === status && challenges(direct) ? ` with another challenge (\`${challenges(direct)}\`)` : ''
            }.`
          : direct?.error
            ? ` Sent again without the proxy, it got no answer (${direct.error.message}): this network may reach ${host} only through the proxy.`
            : '';
      return warn(
        `The refused request (${status}) went through the proxy ${shown}`,
        `A proxy can remove or rewrite the credentials, or be refused by the API for its address.${directWords}`,
        [responseStatus(x), ...directEvidence(direct)],
      );
    }

    if (x.response && proxyLikeStatus(x)) {
      return warn(
        `The request through the proxy ${shown} failed with ${status}`,
        `A ${status} through a proxy usually comes from the proxy itself: it could not reach ${host}, or got no answer from it in time.`,
        [responseStatus(x), ...directEvidence(direct)],
        'Check that the proxy can reach the host (ask its owner), or exempt the host with NO_PROXY or --noproxy if it is reachable directly.',
      );
    }

    return {
      kind: 'info',
      confidence: 'confirmed',
      title: `The request goes through the proxy ${shown} (from ${fromWords(p.source)})`,
      detail: `${base} ${notes.join(' ')}`,
      evidence,
    };
  },
);

function directEvidence(direct: Exchange | undefined): EvidenceItem[] {
  if (!direct) return [];
  if (direct.response) return [responseStatus(direct)];
  if (direct.error)
    return [{ probe: probeName(direct), where: `error.${direct.error.phase}`, value: direct.error.code }];
  return [];
}
