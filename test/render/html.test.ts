import { describe, expect, it } from 'vitest';
import type { HarReport } from '../../src/model/har-report.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { escapeHtml, renderHarHtml, renderHtml, renderHtmlMany } from '../../src/render/html.js';

const EVIL = `<script>alert(1)</script>"'&</style><img src=https://evil.example/x.png onerror=alert(2)>`;

function finding(kind: Finding['kind'], id: string, title: string, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    kind,
    step: 3,
    confidence: 'likely',
    title,
    detail: `detail of ${title}\nsecond line`,
    fix: `fix for ${title}`,
    evidence: [{ probe: 'main', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' }],
    ...extra,
  };
}

function report(over: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'why401', version: '0.1.0' },
    source: 'flags',
    target: { method: 'GET', url: 'https://api.example.com/v1/me' },
    outcome: 'unauthorized',
    status: 401,
    repairs: [],
    checks: [],
    findings: [
      finding('cause', 'token.expired', 'The access token expired 3 days ago'),
      finding('cause', 'credentials.rejected', 'The server rejected the token'),
      finding('warning', 'header.lint', 'A header looks odd'),
      finding('info', 'info.request-ids', 'The server returned request ids'),
    ],
    probes: [
      {
        name: 'main',
        hop: 0,
        method: 'GET',
        url: 'https://api.example.com/v1/me',
        status: 401,
        ms: 42,
        requestHeaders: { authorization: 'Bearer eyJhbG…(sha256:1a2b3c)' },
        responseHeaders: { 'www-authenticate': ['Bearer realm="api"'] },
      },
    ],
    skippedProbes: [{ probe: 'anonymous', reason: 'POST is not resent' }],
    warnings: ['unknown curl flag --foo ignored'],
    support: {
      timestamp: '2026-11-27T15:00:00.000Z',
      url: 'https://api.example.com/v1/me',
      method: 'GET',
      status: 401,
      requestIds: { 'x-request-id': 'req-abc-123' },
    },
    ...over,
  };
}

/** Every string of a report set to hostile text. */
function hostile(): Report {
  const f = (kind: Finding['kind']): Finding => ({
    id: `${kind}${EVIL}`,
    kind,
    step: 1,
    confidence: 'possible',
    title: `${kind} title ${EVIL}`,
    detail: `detail ${EVIL}`,
    fix: `fix ${EVIL}`,
    evidence: [{ probe: EVIL, where: EVIL, value: EVIL }],
  });
  return report({
    target: { method: EVIL, url: `https://a.example/${EVIL}` },
    findings: [f('cause'), f('cause'), f('warning'), f('info')],
    probes: [
      {
        name: EVIL,
        hop: 1,
        method: EVIL,
        url: EVIL,
        status: null,
        ms: 1,
        error: EVIL,
        requestHeaders: { [EVIL]: [EVIL] },
        responseHeaders: { [EVIL]: [EVIL] },
        droppedHeaders: [EVIL],
      },
    ],
    skippedProbes: [{ probe: EVIL, reason: EVIL }],
    warnings: [EVIL],
    support: { timestamp: EVIL, url: EVIL, method: EVIL, status: null, requestIds: { [EVIL]: EVIL } },
    tool: { name: 'why401', version: EVIL },
  });
}

function harReport(): HarReport {
  const cause = finding('cause', 'credentials.rejected', 'The server rejected the token');
  return {
    schemaVersion: 1,
    tool: { name: 'why401', version: '0.1.0' },
    source: {
      file: 'capture.har',
      creator: { name: 'Playwright', version: '1' },
      browser: { name: 'chromium', version: '1' },
      entries: 3,
      sanitizedByBrowser: true,
    },
    entries: [
      {
        index: 0,
        method: 'GET',
        url: 'https://api.example.com/me?x=1',
        status: 401,
        time: 12,
        startedDateTime: '2026-11-27T14:41:36.786Z',
        outcome: 'unauthorized',
        failed: true,
        findings: [cause],
        requestIds: { 'x-request-id': 'r-1' },
      },
      {
        index: 2,
        method: 'GET',
        url: 'https://api.example.com/me',
        status: null,
        error: 'net::ERR_FAILED',
        time: 0,
        startedDateTime: '2026-11-27T14:41:37.000Z',
        outcome: 'unreachable',
        failed: true,
        findings: [],
      },
    ],
    findings: [
      {
        ...finding('cause', 'session.refresh-loop', 'The client refreshed its token 3 times'),
        entries: [0, 2],
      },
      { ...finding('warning', 'session.something', 'A session warning'), entries: [] },
    ],
    warnings: ['the file is cut short'],
  };
}

function hostileHar(): HarReport {
  const r = harReport();
  const f = (kind: Finding['kind']): Finding => ({
    id: EVIL,
    kind,
    step: 2,
    confidence: 'likely',
    title: EVIL,
    detail: EVIL,
    fix: EVIL,
    evidence: [{ probe: EVIL, where: EVIL, value: EVIL }],
  });
  r.source.file = EVIL;
  r.source.creator = { name: EVIL, version: EVIL };
  r.entries[0] = {
    ...r.entries[0]!,
    method: EVIL,
    url: EVIL,
    startedDateTime: EVIL,
    findings: [f('cause'), f('info')],
    requestIds: { [EVIL]: EVIL },
  };
  r.entries[1] = { ...r.entries[1]!, error: EVIL };
  r.findings = [
    { ...f('cause'), entries: [0, 7] },
    { ...f('warning'), entries: [2] },
    { ...f('info'), entries: [] },
  ];
  r.warnings = [EVIL];
  r.tool.version = EVIL;
  return r;
}

/** What a hostile string may never produce: live markup or a resource load. */
function expectInert(html: string): void {
  expect(html).not.toContain('<script');
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<\/style>[\s\S]*<\/style>/);
  expect(html).not.toContain(`"'&<`);
  expect(html.match(/<style>/g)).toHaveLength(1);
  expect(html.match(/<\/style>/g)).toHaveLength(1);
  expect(html).toContain(escapeHtml(EVIL));
}

/** Nothing that makes a browser fetch anything. */
function expectNoLoads(html: string): void {
  // Real tags only: escaped text (`&lt;img src=…`) is inert, whatever it says.
  const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
  expect(tags.length).toBeGreaterThan(20);
  for (const raw of tags) {
    // Quoted values are text (a `"` in them is escaped, so they cannot end early).
    const tag = raw.replace(/"[^"]*"/g, '""');
    expect(tag).not.toMatch(/\s(?:src|href|srcset|action|poster|data|style|on[a-z]+)\s*=/i);
    expect(tag).not.toMatch(/^<(?:link|script|iframe|object|embed|img|base|form|svg|video|audio)\b/i);
  }
  const css = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
  expect(css).not.toMatch(/url\(|@import/i);
  expect(html).toContain(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
  );
}

function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
}

function expectHeadingsInOrder(html: string): void {
  const levels = headingLevels(html);
  expect(levels[0]).toBe(1);
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(report());

  it('is a complete document with a language, landmarks and a light/dark scheme', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<main>');
    expect(html).toContain('<header class="top">');
    expect(html).toContain('<footer>');
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).toContain('<title>why401: GET https://api.example.com/v1/me</title>');
    expectHeadingsInOrder(html);
    expectNoLoads(html);
  });

  it('shows the diagnosis first, then the other causes, warnings, context, probes, notes and support block', () => {
    const order = [
      '401 Unauthorized',
      '>Diagnosis<',
      'The access token expired 3 days ago',
      '>Other causes<',
      'The server rejected the token',
      '>Warnings<',
      'A header looks odd',
      '>Context<',
      'The server returned request ids',
      '>Probes<',
      'POST is not resent',
      'unknown curl flag --foo ignored',
      '>For a support ticket<',
      'req-abc-123',
    ];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('says each finding kind in words, not only in colour', () => {
    expect(html).toContain('<span class="pill cause">Cause</span>');
    expect(html).toContain('<span class="pill warning">Warning</span>');
    expect(html).toContain('<span class="pill info">Context</span>');
    expect(html).toContain('confidence: likely');
    expect(html).toContain('<strong>Fix:</strong> fix for The access token expired 3 days ago');
  });

  it('shows the evidence as a table with headers', () => {
    expect(html).toMatch(/<caption>Evidence<\/caption><thead><tr><th scope="col">Probe<\/th>/);
    expect(html).toContain('Bearer realm=&quot;api&quot;');
  });

  it('says so when the request succeeded', () => {
    const ok = renderHtml(report({ outcome: 'ok', status: 200, findings: [] }));
    expect(ok).toContain('No auth problem: the request succeeded.');
    expect(ok).toContain('<span class="pill ok">200 OK</span>');
  });

  it('renders a token report without probes or support block', () => {
    const t = renderHtml(report({ source: 'token', probes: [], skippedProbes: [] }));
    expect(t).toContain('2 problems');
    expect(t).not.toContain('For a support ticket');
    expectHeadingsInOrder(t);
  });

  it('escapes every string of a hostile report', () => {
    const out = renderHtml(hostile());
    expectInert(out);
    expectNoLoads(out);
  });
});

describe('renderHtmlMany', () => {
  it('puts several reports in one document, headings in order', () => {
    const out = renderHtmlMany('why401 demo', 'intro', [
      { heading: '/a: one', report: report() },
      { heading: '/b: two', note: EVIL, report: hostile() },
    ]);
    expectHeadingsInOrder(out);
    expectNoLoads(out);
    expect(out).toContain('/a: one');
    expect(out).not.toContain('<script');
  });
});

describe('renderHarHtml', () => {
  const html = renderHarHtml(harReport());

  it('shows the session diagnosis with its entries, the failed entries and the notes', () => {
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('why401 har capture.har');
    expect(html).toContain('2 failed');
    expect(html).toContain('Sanitized by the browser');
    const at = [
      '>Session diagnosis<',
      'The client refreshed its token 3 times',
      '>Warnings<',
      '>Failed entries (timeline)<',
      'the file is cut short',
    ].map((s) => html.indexOf(s));
    expect(html.slice(at[3])).toContain('no answer: net::ERR_FAILED');
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The query string stays out of the tables (it may hold what redaction did not know).
    expect(html).not.toContain('me?x=1');
    expectHeadingsInOrder(html);
    expectNoLoads(html);
  });

  it('escapes every string of a hostile HAR report', () => {
    const out = renderHarHtml(hostileHar());
    expectInert(out);
    expectNoLoads(out);
  });
});
