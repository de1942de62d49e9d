import { describe, expect, it } from 'vitest';
import type { HarEntry, HarMeta, HarResponse } from '../../src/model/har.js';
import { hasNoAnswer, noAnswerOf, producerOf, type NoAnswerKind } from '../../src/facts/no-answer.js';
import { noAnswerWords } from '../../src/har/no-answer-words.js';

/** A request without an answer as each producer writes it (har-producers.md), and its words. */

const meta = (creator: string, browser?: string): HarMeta => ({
  creator: { name: creator },
  ...(browser ? { browser: { name: browser } } : {}),
});
const CHROME = meta('WebInspector');
const entry = (response: Partial<HarResponse> & Record<string, unknown>, extra: object = {}): HarEntry => ({
  startedDateTime: '2024-05-14T10:00:00.000Z',
  request: { method: 'GET', url: 'https://api.example.test/v1/x', headers: [] },
  response: { headers: [], status: 0, ...response } as HarResponse,
  ...extra,
});

const CASES: Array<[string, HarEntry, HarMeta, NoAnswerKind, string]> = [
  [
    'Chrome ad blocker',
    entry({ _error: 'net::ERR_BLOCKED_BY_CLIENT' }),
    CHROME,
    'blocked-by-client',
    'net::ERR_BLOCKED_BY_CLIENT',
  ],
  [
    'Chrome proxy 407',
    entry({ _error: 'net::ERR_UNEXPECTED_PROXY_AUTH' }),
    CHROME,
    'proxy-auth',
    'net::ERR_UNEXPECTED_PROXY_AUTH',
  ],
  [
    'Chrome tunnel 407',
    entry({ _error: 'net::ERR_PROXY_AUTH_REQUESTED' }),
    CHROME,
    'proxy-auth',
    'net::ERR_PROXY_AUTH_REQUESTED',
  ],
  [
    'Chrome refused',
    entry({ _error: 'net::ERR_CONNECTION_REFUSED' }),
    CHROME,
    'refused',
    'net::ERR_CONNECTION_REFUSED',
  ],
  ['Chrome aborted', entry({ _error: 'net::ERR_ABORTED' }), CHROME, 'aborted', 'net::ERR_ABORTED'],
  ['Chrome CORS', entry({ _error: 'net::ERR_FAILED' }), CHROME, 'cors-or-blocked', 'net::ERR_FAILED'],
  [
    'Chrome old cert',
    entry({ _error: 'net::ERR_INSECURE_RESPONSE' }),
    CHROME,
    'tls',
    'net::ERR_INSECURE_RESPONSE',
  ],
  [
    'Chrome offline',
    entry({ _error: 'net::ERR_INTERNET_DISCONNECTED' }),
    CHROME,
    'offline',
    'net::ERR_INTERNET_DISCONNECTED',
  ],
  ['Chrome status 0, _error ""', entry({ _error: '' }), CHROME, 'unknown', 'no reason recorded'],
  [
    'Playwright -1',
    entry({ status: -1, _failureText: 'net::ERR_NAME_NOT_RESOLVED' }),
    meta('Playwright', 'chromium'),
    'dns',
    'net::ERR_NAME_NOT_RESOLVED',
  ],
  [
    'Playwright route.abort',
    entry({ status: -1, _failureText: 'net::ERR_FAILED' }, { _wasAborted: true }),
    meta('Playwright', 'chromium'),
    'aborted',
    'net::ERR_FAILED',
  ],
  [
    'Playwright firefox',
    entry({ status: -1, _failureText: 'NS_ERROR_CONNECTION_REFUSED' }),
    meta('Playwright', 'firefox'),
    'refused',
    'NS_ERROR_CONNECTION_REFUSED',
  ],
  ['Firefox', entry({ statusText: '' }), meta('Firefox', 'Firefox'), 'unknown', 'no reason recorded'],
  ['Firebug', entry({ statusText: 'Aborted' }), meta('Firebug', 'Firefox'), 'unknown', 'Aborted'],
  ['Insomnia', entry({ statusText: 'Error' }), meta('Insomnia REST Client'), 'unknown', 'Error'],
  ['Charles', entry({ _charlesStatus: 'FAILED' }), meta('Charles Proxy'), 'no-response', 'Charles: FAILED'],
  [
    'BrowserMob',
    entry({ _error: 'No response received' }),
    meta('BrowserMob Proxy'),
    'no-response',
    'No response received',
  ],
  [
    'BrowserMob connect',
    entry({ _error: 'Unable to connect to host' }),
    meta('BrowserMob Proxy'),
    'connect',
    'Unable to connect to host',
  ],
  [
    'BrowserMob DNS',
    entry({ _error: 'Unable to resolve host: a.example.test:443' }),
    meta('BrowserMob Proxy'),
    'dns',
    'Unable to resolve host: a.example.test:443',
  ],
  [
    'BrowserMob timeout',
    entry({ _error: 'Response timed out' }),
    meta('BrowserMob Proxy'),
    'timeout',
    'Response timed out',
  ],
  [
    'BrowserMob 2.0',
    entry({ status: -999, statusText: 'INTERNAL STATE' }),
    meta('BrowserMob Proxy'),
    'no-response',
    'status -999 INTERNAL STATE',
  ],
  [
    'mitmproxy refused',
    entry({ _error: "[Errno 111] Connect call failed ('127.0.0.1', 8080)" }),
    meta('mitmproxy'),
    'refused',
    "[Errno 111] Connect call failed ('127.0.0.1', 8080)",
  ],
  ['mitmproxy null', entry({ _error: null }), meta('mitmproxy'), 'unknown', 'no reason recorded'],
  [
    'mitmproxy killed',
    entry({ _error: 'Connection killed.' }),
    meta('mitmproxy'),
    'no-response',
    'Connection killed.',
  ],
  [
    'Safari',
    entry({ _error: 'The network connection was lost.' }),
    meta('WebKit Web Inspector'),
    'reset',
    'The network connection was lost.',
  ],
  [
    'Fiddler 502',
    entry({
      status: 502,
      statusText: 'Fiddler - Connection Failed',
      content: {
        text: "[Fiddler] The connection to 'api.example.test' failed. <br />Error: TimedOut (0x274c). <br />",
      },
    }),
    meta('Fiddler'),
    'proxy-answer',
    "Fiddler's own 502 (TimedOut)",
  ],
];

describe('noAnswerOf: each producer’s request without an answer', () => {
  it.each(CASES)('%s', (_name, e, m, kind, label) => {
    expect(hasNoAnswer(e)).toBe(true);
    const n = noAnswerOf(e, m)!;
    expect(n).toMatchObject({ kind, label });
    const w = noAnswerWords(n, 'api.example.test');
    for (const s of [w.title, w.detail, w.fix]) {
      expect(s).not.toMatch(/undefined|null|\(\)/);
      expect(s.length).toBeGreaterThan(10);
    }
    // Only a proxy's 407 is an auth problem of its own.
    expect(w.id).toBe(kind === 'proxy-auth' ? 'network.proxy-auth-required' : undefined);
    // Chromium's guess is never lent to a producer that recorded no reason.
    if (!/ERR_FAILED/.test(n.text ?? '')) expect(`${w.title} ${w.detail}`).not.toMatch(/ERR_FAILED/);
  });

  it('an answer is an answer: Chrome writes _error "" or null beside real statuses, a real 502 is the server’s', () => {
    expect(noAnswerOf(entry({ status: 200, _error: '' }), CHROME)).toBeUndefined();
    expect(noAnswerOf(entry({ status: 304, _error: null }), CHROME)).toBeUndefined();
    expect(
      noAnswerOf(entry({ status: 502, statusText: 'Bad Gateway', content: { text: '<html>nginx</html>' } })),
    ).toBeUndefined();
  });

  it('names the producer from the creator (and the browser, for Playwright)', () => {
    expect(producerOf(CHROME)).toBe('Chrome');
    expect(producerOf(meta('Playwright', 'webkit'))).toBe('Playwright (webkit)');
    expect(producerOf(meta('Internet Explorer Network Inspector'))).toBe('Internet Explorer');
    expect(producerOf({})).toBe("this HAR's producer");
  });
});
