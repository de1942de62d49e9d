import type { NoAnswer } from '../facts/no-answer.js';

/**
 * The words for a request that got no answer, per kind and producer: what happened, why it is or
 * is not an authentication problem, and what to do. A proxy that wants its own credentials (407)
 * is one, `network.proxy-auth-required`; nothing else here is. Pure and platform-neutral.
 */

export interface NoAnswerWords {
  /** Set when the no-answer is an auth problem of its own: the finding takes this id. */
  id?: 'network.proxy-auth-required';
  title: string;
  detail: string;
  fix: string;
}

const NOT_AUTH = 'No server refused any credentials: this is not an authentication problem.';

/** Producers known to write no reason for a request without an answer (har-producers.md §2, §3, §9, §10). */
const SILENT = /^(?:Firefox|Firebug|Insomnia|mitmproxy|Playwright \(firefox\))$/;

/** "Chromium writes net::ERR_X for …" when the text is a Chromium name, else the producer's words quoted. */
function wrote(n: NoAnswer): string {
  return n.text ? `${n.producer} recorded "${n.text}"` : `${n.producer} recorded no reason`;
}

function blockedByPage(n: NoAnswer, host: string): NoAnswerWords {
  const t = n.text ?? '';
  const why = /CSP/.test(t)
    ? `the page's Content-Security-Policy does not allow ${host}`
    : /ORB/.test(t)
      ? 'Opaque Response Blocking: the answer to a no-cors request (an image, a script, a style sheet) was of a type such a request may not read, so the browser withheld it'
      : 'the answer forbade this use of it (Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy or X-Frame-Options)';
  return {
    title: `The browser blocked the request by the page's own security rules (${n.label})`,
    detail: `${wrote(n)}: ${why}. ${NOT_AUTH}`,
    fix: /CSP/.test(t)
      ? `Allow ${host} in the page's Content-Security-Policy (connect-src, img-src, script-src … as the request needs), or do not load it.`
      : `Serve the resource with headers that allow this use (Cross-Origin-Resource-Policy: cross-origin, the right Content-Type), or load it another way.`,
  };
}

function proxyAuth(n: NoAnswer, host: string): NoAnswerWords {
  const t = n.text ?? '';
  const detail = /UNEXPECTED_PROXY_AUTH/.test(t)
    ? `Chromium writes ${t} when "the response was 407 (Proxy Authentication Required), yet we did not send the request to a proxy" (net_error_list.h): something between the browser and ${host} (a transparent or intercepting proxy, a captive portal) answered with a proxy's refusal.`
    : /PROXY_AUTH_REQUESTED/.test(t)
      ? `The proxy the browser goes through asked for its own credentials before it would open a connection to ${host} (${t}), and got none.`
      : `The proxy refused the request without its own credentials (${t}).`;
  return {
    id: 'network.proxy-auth-required',
    title: `A proxy wants its own credentials (407 Proxy Authentication Required): ${n.label}`,
    detail: `${detail} The 407 is the proxy's answer, not ${host}'s: the request never reached ${host}.`,
    fix: `Sign in to the proxy: the browser asks for the proxy's user name and password (on a company network, often your network account), or the proxy settings (the system proxy, a PAC file) must name a proxy that accepts you. These are the proxy's credentials, not ${host}'s.`,
  };
}

function fiddler(n: NoAnswer, host: string): NoAnswerWords {
  const err = /Error: (\w+)/.exec(n.text ?? '')?.[1] ?? '';
  const gateway = /upstream proxy\/gateway/i.test(n.text ?? '');
  const fix = gateway
    ? "Fiddler could not reach its own upstream proxy: check Fiddler's gateway settings (Tools › Options › Gateway) or the system proxy it copied."
    : /Refused/i.test(err)
      ? `Nothing accepts connections at ${host} on that port: check that the server runs and the URL's port is right.`
      : /TimedOut/i.test(err)
        ? `${host} did not accept the connection in time: check the network between the machine running Fiddler and ${host} (a firewall, a VPN).`
        : /HostNotFound|DNS/i.test(`${err} ${n.text ?? ''}`)
          ? `The host name ${host} did not resolve where Fiddler runs: check the name and the DNS.`
          : `Check that ${host} can be reached from the machine running Fiddler.`;
  return {
    title: `Fiddler could not reach ${gateway ? 'its upstream proxy' : host}: the 502 is Fiddler's own answer, not the server's`,
    detail: `When Fiddler cannot connect, it answers the request itself with "502 Fiddler - Connection Failed" ("${n.text ?? ''}"). The request never reached ${host}. ${NOT_AUTH}`,
    fix,
  };
}

function noResponse(n: NoAnswer): string {
  const t = n.text ?? '';
  if (n.producer === 'BrowserMob Proxy' && /^No response received$/i.test(t))
    return 'BrowserMob Proxy gives every request the answer "No response received" until the real one comes: the connection was interrupted, or the browser or the capture stopped, before the server answered.';
  if (/^Charles/.test(n.label))
    return `Charles recorded the exchange as ${n.label.replace(/^Charles: /, '')} with no answer; its HAR export keeps no reason (Charles's own session view names the error).`;
  if (/^status -\d+/.test(n.label))
    return `${n.producer} wrote ${n.label}: the exchange had not finished when the HAR was written.`;
  return `${wrote(n)} and no answer.`;
}

function unknown(n: NoAnswer): { detail: string; fix: string } {
  const console =
    "Open the page with the browser's console and network panel: they show why this request failed. To see what the server says, replay it outside the browser with why401.";
  if (n.label === 'Aborted')
    return {
      detail: `${n.producer} marked the request "Aborted" and recorded no reason: the page cancelled it, or the connection failed or was blocked.`,
      fix: console,
    };
  if (n.label === 'Error')
    return {
      detail: `${n.producer} could not send the request; its HAR keeps only the word "Error", not the error itself (its timeline for the request names it).`,
      fix: `Look at ${n.producer}'s timeline (or console) for this request: it names the error. To see what the server says, send it with why401.`,
    };
  if (n.producer === 'mitmproxy')
    return {
      detail:
        'mitmproxy wrote the request with no answer and an empty error field: the client never got an answer, because the flow was still in flight or was cut off when the capture was saved.',
      fix: "Look at the flow in mitmproxy's own view (or its event log) for what happened to it; to see what the server says, send the request again with why401.",
    };
  if (/firefox/i.test(n.producer))
    return {
      detail:
        'Firefox writes status 0 and nothing else for a request that got no answer: a CORS refusal, a blocked request, a refused connection and a certificate error all look the same in its HAR.',
      fix: console,
    };
  return {
    detail: `The file holds no answer for this request and no reason for it (${n.producer} wrote it).`,
    fix: console,
  };
}

/** The words for one request without an answer to `host` (the request's host). */
export function noAnswerWords(n: NoAnswer, host: string): NoAnswerWords {
  const code = n.label;
  switch (n.kind) {
    case 'blocked-by-client':
      return {
        title: `The browser blocked the request before it was sent (${code}): an ad blocker or extension, not ${host}`,
        detail: `${/ERR_BLOCKED_BY_CLIENT/.test(n.text ?? '') ? `Chromium writes ${n.text} when "the client chose to block the request" (net_error_list.h)` : wrote(n)}: an ad blocker or privacy extension, DevTools' request blocking or a content blocker stopped it inside the browser. ${host} never saw it. ${NOT_AUTH}`,
        fix: `If the page needs this request, allow ${host} in the ad blocker or extension (or try a private window with extensions off); if it is an ad or a tracker, nothing is wrong.`,
      };
    case 'blocked-by-policy':
      return {
        title: `A browser policy set by an administrator blocked the request (${code})`,
        detail: `${wrote(n)}: a policy of this browser (set by whoever manages it) does not allow ${host}. ${host} never saw the request. ${NOT_AUTH}`,
        fix: `Ask whoever manages this browser's policies (URLBlocklist) to allow ${host}.`,
      };
    case 'blocked-by-page':
      return blockedByPage(n, host);
    case 'proxy-auth':
      return proxyAuth(n, host);
    case 'proxy':
      return {
        title: `The proxy failed before ${host} could answer (${code})`,
        detail: `${wrote(n)}: the browser goes through a proxy, and the proxy (or the connection to it) failed. ${host} never saw the request. ${NOT_AUTH}`,
        fix: 'Check the proxy settings (the system proxy, a PAC file) and that the proxy is up and can reach the site.',
      };
    case 'refused':
      return {
        title: `${host} refused the connection (${code})`,
        detail: `${wrote(n)}: the connection attempt was refused (nothing listens on that port, or a firewall rejects it), so no HTTP was exchanged. ${NOT_AUTH}`,
        fix: "Check that the server runs and listens on that host and port, and that the URL's port is right.",
      };
    case 'connect':
      return {
        title: `No connection could be made to ${host} (${code})`,
        detail: `${wrote(n)}: the connection to ${host} failed, so no HTTP was exchanged. ${NOT_AUTH}`,
        fix: 'Check the host and port, and the network in between (VPN, firewall, proxy).',
      };
    case 'reset':
      return {
        title: `The connection to ${host} broke before an answer came (${code})`,
        detail: `${wrote(n)}: the connection opened and then closed or was reset before any HTTP answer (a server that crashed or restarted, a load balancer or proxy that cut it, the network changing). ${NOT_AUTH}`,
        fix: "Retry; if it keeps happening, look in the server's or the load balancer's log at that time.",
      };
    case 'dns':
      return {
        title: `The host name ${host} did not resolve (${code})`,
        detail: `${wrote(n)}: the name could not be looked up, so nothing was sent. ${NOT_AUTH}`,
        fix: 'Check the host name (a typo, another environment) and the DNS (VPN, /etc/hosts).',
      };
    case 'timeout':
      return {
        title: `${host} did not answer in time (${code})`,
        detail: `${wrote(n)}: no answer came before the time limit. ${NOT_AUTH}`,
        fix: 'Retry; if it keeps happening, find out why the server or the network is slow (its log, a firewall that drops packets).',
      };
    case 'offline':
      return {
        title: `The browser was offline (${code})`,
        detail: `${wrote(n)}: the computer had no network connection when the request was made. ${NOT_AUTH}`,
        fix: 'Reconnect and load the page again.',
      };
    case 'tls':
      return {
        title: `The TLS connection to ${host} failed (${code})`,
        detail: `${wrote(n)}: the browser refused the server's certificate (expired, for another name, or from a CA it does not trust, as when something on the network re-signs TLS), so no HTTP was exchanged. ${NOT_AUTH}`,
        fix: `Open ${host} in the browser to see the certificate error; the server's owner fixes the certificate, or, if your network inspects TLS, its CA must be trusted.`,
      };
    case 'aborted':
      return {
        title: /route\.abort/.test(code)
          ? 'A Playwright test aborted the request (route.abort)'
          : `The page cancelled the request (${code})`,
        detail: `${/ERR_ABORTED/.test(n.text ?? '') ? `Chromium writes ${n.text} for "an operation was aborted (due to user action)" (net_error_list.h)` : wrote(n)}: the page navigated away, a newer request replaced this one, or its code aborted it. ${NOT_AUTH}`,
        fix: 'Nothing to fix unless the page needed this answer: then find out why it was cancelled (a navigation right after it, a component that went away, a timeout in the page).',
      };
    case 'proxy-answer':
      return fiddler(n, host);
    case 'no-response':
      return {
        title: `No answer came (${code})`,
        detail: `${noResponse(n)} ${NOT_AUTH}`,
        fix: `Look at ${n.producer}'s own record of this request for the reason, or send it again with why401 to see what the server says.`,
      };
    case 'unknown': {
      const u = unknown(n);
      return {
        title: `No answer, and ${SILENT.test(n.producer) ? `${n.producer} does not record why` : 'the file does not say why'}${n.label === 'no reason recorded' ? '' : ` (${n.label})`}`,
        detail: `${u.detail} Without an answer, no server refused any credentials.`,
        fix: u.fix,
      };
    }
    default:
      return {
        title: `No answer came (${code})`,
        detail: `${wrote(n)} and no answer. ${NOT_AUTH}`,
        fix: 'Check the host name, port and scheme, and your network (VPN, proxy, firewall).',
      };
  }
}
