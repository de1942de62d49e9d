import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { EXPECTED_FINDING, FAKE_SECRETS, harFixture, type ScenarioName } from '../support/har-scenarios.js';
import {
  CAN_RUN,
  clipboardText,
  newBrowser,
  openPage,
  SHOTS_DIR,
  startUi,
  type PageSession,
  type UiServer,
} from './ui-harness.js';

/**
 * The HAR tab: a capture chosen or dropped is analysed in the browser (a Web Worker running the
 * platform-neutral scanner and `analyzeHar`) and never sent anywhere; the sanitized copy is the
 * very file `why401 har --sanitize` writes.
 */

let ui: UiServer;
let browser: Browser;
let s: PageSession;
let page: Page;
const requests: Request[] = [];

/** Every fake secret of the recordings, and the signature part of each fake JWT on its own. */
const SECRETS = [
  ...new Set(FAKE_SECRETS.flatMap((x) => (x.split('.').length === 3 ? [x, x.split('.')[2]!] : [x]))),
];

beforeAll(async () => {
  if (!CAN_RUN) return;
  [ui, browser] = await Promise.all([startUi(), newBrowser()]);
  s = await openPage(browser, ui);
  page = s.page;
  await page.getByRole('tab', { name: 'HAR file' }).click();
  // From here on, every request the page makes is recorded.
  page.on('request', (r) => requests.push(r));
});

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const panel = () => page.getByRole('tabpanel', { name: 'HAR file' });
const mainCause = () => panel().locator('.report .finding.cause.main .cause-id');

async function choose(file: string): Promise<void> {
  await panel().locator('input[type=file]').setInputFiles(file);
  await expect.poll(() => panel().locator('.report h2').textContent()).toBe(basename(file));
}

describe.skipIf(!CAN_RUN)('the HAR tab', () => {
  it('shows the session cause on top and every entry in the timeline, the failures marked', async () => {
    await choose(harFixture('refresh-loop'));
    expect(await mainCause().textContent()).toBe('session.refresh-loop');
    const rows = panel().locator('table.timeline tbody tr');
    expect(await rows.count()).toBe(8);
    const failed = panel().locator('table.timeline tbody tr.row-failed');
    expect(await failed.count()).toBe(4);
    const first = await failed.first().innerText();
    expect(first).toContain('#1');
    expect(first).toContain('/api/me');
    expect(first).toMatch(/401\s+failed/i);
    // Not only colour: a mark and a word.
    expect(await failed.first().locator('.mark.failed').innerText()).toMatch(/✖/);
    // Each failure with its own findings.
    const entry = panel().locator('details.entry').first();
    expect(await entry.locator('summary').innerText()).toContain('credentials.rejected');
    await expect.poll(() => panel().getByRole('status').first().innerText()).toMatch(/8 requests, 4 failed/);
    await page.screenshot({ path: `${SHOTS_DIR}/har-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS_DIR}/har-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('copies the Markdown and saves the HTML report', async () => {
    await panel().getByRole('button', { name: 'Copy Markdown for a support ticket' }).click();
    await expect.poll(() => clipboardText(page)).toContain('### why401 HAR report');
    expect(await clipboardText(page)).toContain('session.refresh-loop');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel().getByRole('button', { name: 'Save HTML report' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('why401-har-report.html');
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('session.refresh-loop');
    for (const x of SECRETS) expect(html).not.toContain(x);
  });

  it('downloads the same sanitized copy as why401 har --sanitize, with no secret left', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel().getByRole('button', { name: 'Download sanitized copy' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('refresh-loop.sanitized.har');
    const copy = readFileSync(await download.path(), 'utf8');
    for (const x of SECRETS) expect(copy, x).not.toContain(x);
    expect(() => JSON.parse(copy)).not.toThrow();
    await expect
      .poll(() => panel().locator('.report-head [role=status]').last().innerText())
      .toMatch(/Saved refresh-loop\.sanitized\.har: 8 entries, \d+ secrets replaced/);

    const dir = mkdtempSync(join(tmpdir(), 'why401-ui-har-'));
    const cliOut = join(dir, 'cli.har');
    expect((await runCli(['har', '--sanitize', harFixture('refresh-loop'), cliOut])).code).toBe(0);
    expect(copy).toBe(readFileSync(cliOut, 'utf8'));
    // The copy gives the same diagnosis.
    const pageCopy = join(dir, 'page.har');
    writeFileSync(pageCopy, copy);
    const r = JSON.parse((await runCli(['har', pageCopy, '--json'])).stdout) as {
      findings: Array<{ id: string }>;
    };
    expect(r.findings[0]?.id).toBe('session.refresh-loop');
  });

  it('saves no sanitized copy of a file cut short, and says so in the CLI’s words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-ui-har-'));
    const cut = join(dir, 'cut.har');
    const whole = readFileSync(harFixture('refresh-loop'), 'utf8');
    // Cut inside the fifth entry: four whole entries are analysed, but a copy would lose the rest.
    let at = 0;
    for (let i = 0; i < 5; i++) at = whole.indexOf('"startedDateTime"', at + 1);
    writeFileSync(cut, whole.slice(0, at + 40));
    await choose(cut);
    let downloads = 0;
    const count = () => void downloads++;
    page.on('download', count);
    await panel().getByRole('button', { name: 'Download sanitized copy' }).click();
    await expect
      .poll(() => panel().locator('.report-head [role=status]').last().innerText())
      .toMatch(
        /^Could not save a sanitized copy: cannot sanitize cut\.har: it is cut short at byte \d+ \(.*\); nothing was saved$/,
      );
    page.off('download', count);
    expect(downloads).toBe(0);
  });

  it('takes a file dropped on the drop zone (a real DataTransfer)', async () => {
    const text = readFileSync(harFixture('cookie-expired'), 'utf8');
    await page.evaluate((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'dropped.har', { type: 'application/json' }));
      const zone = document.querySelector('.dropzone')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, text);
    await expect.poll(() => panel().locator('.report h2').textContent()).toBe('dropped.har');
    expect(await mainCause().textContent()).toBe('session.cookie-expired');
    expect(await panel().locator('table.timeline tbody tr.row-failed').count()).toBeGreaterThanOrEqual(1);
  });

  it('diagnoses every committed recording as the CLI does', async () => {
    for (const name of Object.keys(EXPECTED_FINDING) as ScenarioName[]) {
      await choose(harFixture(name));
      const want = EXPECTED_FINDING[name];
      if (want) expect(await mainCause().textContent(), name).toBe(want);
      else {
        expect(await mainCause().count(), name).toBe(0);
        expect(await panel().locator('.report .outcome').innerText()).toMatch(/none failed/);
      }
    }
  });

  it('says in one line when a file is not a HAR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-ui-har-'));
    const bad = join(dir, 'notes.har');
    writeFileSync(bad, 'these are my notes, not a HAR file');
    await panel().locator('input[type=file]').setInputFiles(bad);
    const alert = panel().getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toMatch(/^notes\.har could not be read as a HAR file/);
    expect(text).not.toContain('\n');
  });

  it('never sent the file anywhere: no POST, no API call, no request body, same origin only', () => {
    // The worker's own script is fetched (from this server) when the first file is opened.
    expect(requests.some((r) => /har-worker-[\w-]+\.js$/.test(r.url()))).toBe(true);
    for (const r of requests) {
      const where = `${r.method()} ${r.url()}`;
      expect(r.method(), where).toBe('GET');
      expect(r.postData(), where).toBeNull();
      const u = new URL(r.url());
      if (u.protocol === 'blob:' || u.protocol === 'data:') continue;
      expect(u.origin, where).toBe(ui.origin);
      expect(u.pathname, where).not.toMatch(/^\/api\//);
      expect(u.search, where).toBe('');
    }
  });

  it('worked under the server’s Content-Security-Policy without a violation', () => {
    expect(s.problems).toEqual([]);
  });
});
