import check from '../../../src/checks/session/preflight-rejected.js';
import { testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const APP = 'http://localhost:5173';

/** What Chromium logs for a request whose preflight failed: no answer, page-side headers only. */
const failed = (over: Partial<Spec> = {}): Spec => ({
  url: `${API}/api/me`,
  status: -1,
  at: 1000,
  req: [
    ['Authorization', 'Bearer opaque-access-token-1234'],
    ['Referer', `${APP}/`],
    ['User-Agent', 'Mozilla/5.0'],
  ],
  ...over,
});
const page: Spec = {
  url: `${APP}/app`,
  status: 200,
  at: 0,
  resourceType: 'document',
  mime: 'text/html',
  body: '<!doctype html>',
};

testSessionCheck(check, {
  valid: [
    { name: 'a same-origin request that failed', har: [page, failed({ url: `${APP}/api/me` })] },
    {
      name: 'a cross-origin simple GET (no preflight needed)',
      har: [
        page,
        failed({
          req: [
            ['Referer', `${APP}/`],
            ['Accept', '*/*'],
          ],
        }),
      ],
    },
    {
      name: 'a cross-origin request with Authorization that got an answer',
      har: [page, failed({ status: 401, res: { 'WWW-Authenticate': 'Bearer' } })],
    },
    { name: 'cancelled by the page (ERR_ABORTED)', har: [page, failed({ failure: 'net::ERR_ABORTED' })] },
    { name: 'DNS failure is not CORS', har: [page, failed({ failure: 'net::ERR_NAME_NOT_RESOLVED' })] },
  ],
  invalid: [
    {
      name: 'Playwright: status -1, _failureText net::ERR_FAILED, Referer only',
      har: [page, failed(), failed({ at: 2000, url: `${API}/api/orders` })],
      expect: {
        id: 'cors.preflight-rejected',
        kind: 'cause',
        confidence: 'likely',
        mentions: [
          'A HAR does not show the preflight',
          'authorization is not a CORS-safelisted header',
          APP,
          API,
          'Entries 1 and 2',
        ],
        entries: [1, 2],
        evidence: [
          { probe: 'entry#1', where: 'error', value: 'net::ERR_FAILED' },
          { probe: 'entry#1', where: 'page.origin', value: APP },
        ],
        count: 1,
      },
    },
    {
      name: "Chrome's own export: status 0, _error, Origin header",
      chrome: true,
      har: [
        page,
        failed({
          req: [
            ['Authorization', 'Bearer opaque-access-token-1234'],
            ['Origin', APP],
          ],
        }),
      ],
      expect: { confidence: 'likely' },
    },
    {
      name: 'the HAR holds the OPTIONS, answered 401: confirmed',
      chrome: true,
      har: [
        page,
        {
          method: 'OPTIONS',
          url: `${API}/api/me`,
          status: 401,
          at: 900,
          resourceType: 'preflight',
          req: {
            Origin: APP,
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization',
          },
          res: { 'WWW-Authenticate': 'Bearer realm="api"' },
        },
        failed({
          req: [
            ['Authorization', 'Bearer opaque-access-token-1234'],
            ['Origin', APP],
          ],
        }),
      ],
      expect: {
        confidence: 'confirmed',
        mentions: ['answered 401'],
        entries: [1, 2],
        evidence: [{ probe: 'entry#1', where: 'response.status', value: '401' }],
      },
    },
    {
      name: 'a sanitized export hides Authorization: still a suspect, possible',
      chrome: true,
      hidden: true,
      har: [page, failed({ req: [['Origin', APP]] })],
      expect: { confidence: 'possible', mentions: ['hides Authorization'] },
    },
  ],
});
