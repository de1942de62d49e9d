import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import {
  CAN_RUN,
  clipboardText,
  curlCommand,
  newBrowser,
  openPage,
  SHOTS_DIR,
  startUi,
  type PageSession,
  type UiServer,
} from './ui-harness.js';

/**
 * The Request and Token tabs against the real `why401 ui`: a pasted curl command for each endpoint
 * of the embedded demo server shows the cause `why401` finds on the command line; a token minted by
 * a real issuer gets its token report; the report's Markdown and HTML come out as expected.
 */

let ui: UiServer;
let demo: DemoServer;
let issuer: TestIssuer;
let browser: Browser;
let s: PageSession;
let page: Page;

beforeAll(async () => {
  if (!CAN_RUN) return;
  [ui, demo, issuer, browser] = await Promise.all([
    startUi(),
    startDemoServer(),
    startIssuer(),
    newBrowser(),
  ]);
  s = await openPage(browser, ui);
  page = s.page;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([ui?.stop(), demo?.close(), issuer?.close()]);
});

async function diagnose(input: string): Promise<void> {
  await page.getByRole('tab', { name: 'Request' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Request' });
  await panel.getByLabel('Your request').fill(input);
  await panel.getByRole('button', { name: 'Diagnose' }).click();
  await panel.locator('.report, .error').first().waitFor({ timeout: 30_000 });
}

const requestPanel = () => page.getByRole('tabpanel', { name: 'Request' });

describe.skipIf(!CAN_RUN)('the Request tab', () => {
  it('shows the first cause of every demo endpoint, from a pasted curl command', async () => {
    expect(demo.endpoints.length).toBeGreaterThanOrEqual(8);
    for (const e of demo.endpoints) {
      await diagnose(curlCommand(e.request));
      const panel = requestPanel();
      expect(await panel.locator('.error').count(), e.path).toBe(0);
      const first = panel.locator('.report .finding.cause.main .cause-id');
      if (e.expect) expect(await first.textContent(), `${e.path}: ${e.title}`).toBe(e.expect);
      else {
        expect(await first.count(), e.path).toBe(0);
        await expect.poll(() => panel.locator('.report .outcome').innerText()).toContain('200');
      }
      // The token the request carried never appears: the report is redacted by the server.
      for (const [name, value] of e.request.headers) {
        const secret = value.replace(/^\s*\S+\s+/, '');
        if (/^authorization$/i.test(name) && secret.length >= 16 && !secret.startsWith('$'))
          expect(await panel.innerText()).not.toContain(secret);
      }
    }
  }, 120_000);

  it('takes a URL with header lines, shows outcome and probes, and copies and saves the report', async () => {
    const e = demo.endpoints.find((x) => x.path === '/api/expired')!;
    const input = [e.request.url, ...e.request.headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
    await diagnose(input);
    const panel = requestPanel();
    await expect.poll(() => panel.getByRole('status').first().innerText()).toMatch(/^401 Unauthorized\./);
    await expect.poll(() => panel.locator('.report .outcome').innerText()).toContain('401 Unauthorized');
    expect(await panel.locator('.report .finding.cause.main .cause-id').textContent()).toBe('token.expired');
    // Findings first, then the probes table.
    const headings = await panel.locator('.report h3').allInnerTexts();
    expect(headings.indexOf('Diagnosis')).toBeLessThan(headings.indexOf('Probes'));
    expect(await panel.locator('table.probes tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: `${SHOTS_DIR}/report-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS_DIR}/report-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await panel.getByRole('button', { name: 'Copy Markdown for a support ticket' }).click();
    await expect.poll(() => panel.locator('.actions [role=status]').innerText()).toMatch(/Copied/);
    const md = await clipboardText(page);
    expect(md).toContain('### why401 report');
    expect(md).toContain('token.expired');
    expect(md).toContain(e.request.url);
    const token = e.request.headers[0]![1].replace(/^Bearer /, '');
    expect(md).not.toContain(token);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Save HTML report' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('why401-report.html');
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('token.expired');
    expect(html).not.toContain(token);
  });

  it('shows input the server refuses as one line in an alert', async () => {
    await diagnose('http://127.0.0.1:9/\nthis line is not a header');
    const alert = requestPanel().getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    const text = await alert.innerText();
    expect(text).toMatch(/line 2 is not a header line/);
    expect(text).not.toContain('\n');
    expect(await requestPanel().locator('.report').count()).toBe(0);
  });

  it('takes the one-time ticket out of the address bar, and a reload keeps the key', async () => {
    // openPage opened the printed link: its ticket was traded for the key as the page loaded.
    expect(page.url()).toBe(ui.url);
    expect(ui.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.reload();
    await page.getByRole('tab', { name: 'Token' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Token' });
    await panel.getByLabel('Token', { exact: true }).fill('not-a-jwt-at-all');
    await panel.getByLabel(/Offline/).check();
    await panel.getByRole('button', { name: 'Inspect token' }).click();
    await panel.locator('.report').waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);
    await page.reload(); // the Token tests start from a fresh page
  });

  it('refuses to work without the launch key, and says so', async () => {
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await p.goto(ui.url);
      await p.getByRole('tab', { name: 'Request' }).click();
      await p.getByLabel('Your request').fill('http://127.0.0.1:9/');
      await p.getByRole('button', { name: 'Diagnose' }).click();
      const alert = p.getByRole('tabpanel', { name: 'Request' }).getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).not.toBe('');
    } finally {
      await other.close();
    }
  });

  it('loads under the server’s Content-Security-Policy without a violation', () => {
    expect(s.problems).toEqual([]);
  });
});

describe.skipIf(!CAN_RUN)('the Token tab', () => {
  it('shows the token report, the claims decoded in the browser, and the token only on request', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ sub: 'alice', aud: 'https://api.why401.test', exp: now - 3 * 3600 });
    await page.getByRole('tab', { name: 'Token' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Token' });
    await panel.getByLabel('Token', { exact: true }).fill(`Bearer ${token}`);
    await panel.getByRole('button', { name: 'Inspect token' }).click();
    await panel.locator('.report').waitFor({ timeout: 20_000 });
    expect(await panel.locator('.report .finding.cause.main .cause-id').textContent()).toBe('token.expired');
    await expect.poll(() => panel.getByRole('status').first().innerText()).toMatch(/^Token inspected/);

    const claims = panel.locator('.claims-view');
    const text = await claims.innerText();
    expect(text).toContain('alice');
    expect(text).toMatch(/expired 3 hours ago/);
    expect(text).toContain(issuer.issuer);
    // The raw token is hidden until revealed; the report never shows it.
    expect(await panel.innerText()).not.toContain(token);
    const reveal = claims.getByRole('button', { name: 'Reveal' });
    expect(await reveal.getAttribute('aria-pressed')).toBe('false');
    await reveal.click();
    expect(await claims.innerText()).toContain(token);
    await claims.getByRole('button', { name: 'Hide' }).click();
    expect(await panel.innerText()).not.toContain(token);

    // The verification fetched the issuer's keys; the token itself never went there.
    expect(issuer.received.some((r) => r.path === '/jwks')).toBe(true);
    for (const r of issuer.received) {
      expect(JSON.stringify(r.headers)).not.toContain(token);
      expect(r.body).not.toContain(token);
    }
  });

  it('inspects offline without contacting the issuer', async () => {
    const before = issuer.received.length;
    const token = await issuer.sign({ sub: 'bob', aud: 'https://api.why401.test' });
    const panel = page.getByRole('tabpanel', { name: 'Token' });
    await panel.getByLabel('Token', { exact: true }).fill(token);
    await panel.getByLabel(/Offline/).check();
    await panel.getByRole('button', { name: 'Inspect token' }).click();
    await expect.poll(() => panel.locator('.claims-view').innerText()).toContain('bob');
    expect(await panel.locator('.report').innerText()).toMatch(/offline/i);
    expect(issuer.received.length).toBe(before);
  });
});
