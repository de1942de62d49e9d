import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';

/**
 * Without -L a redirect is the server's answer (issue 13): no renderer may call it a success, and
 * each says where it points, in the words of the skipped-probe note the probe wrote.
 */
const NOTE = '302 to https://login.example.com/signin?next=%2Fme, not followed (curl follows it with -L)';

function report(status: number): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'why401', version: '0.1.0' },
    source: 'flags',
    target: { method: 'GET', url: 'https://api.example.com/me' },
    outcome: 'ok',
    status,
    repairs: [],
    checks: [],
    findings: [],
    probes: [
      {
        name: 'main',
        hop: 0,
        method: 'GET',
        url: 'https://api.example.com/me',
        status,
        ms: 12,
        requestHeaders: {},
        responseHeaders: {},
      },
    ],
    skippedProbes: [{ probe: 'main#1', reason: NOTE }],
    warnings: [],
    support: {
      timestamp: '2026-12-07T00:00:00.000Z',
      url: 'https://api.example.com/me',
      method: 'GET',
      status,
      requestIds: {},
    },
  };
}

const renderers: Array<[string, (r: Report) => string]> = [
  ['text', (r) => renderText(r, { color: false, width: 200 })],
  ['markdown', (r) => renderMarkdown(r)],
  ['html', (r) => renderHtml(r)],
];

describe('an unfollowed redirect', () => {
  it.each(renderers)('%s names the redirect and its target, never a success', (_name, render) => {
    const out = render(report(302));
    expect(out).toContain('The server answered 302 Found, a redirect to https://login.example.com/signin');
    expect(out).not.toContain('the request succeeded');
    expect(out).not.toContain('no auth problem');
  });

  it.each(renderers)('%s still calls a 200 a success', (_name, render) => {
    const r = report(200);
    r.skippedProbes = [];
    expect(render(r).toLowerCase()).toContain('no auth problem');
  });
});
