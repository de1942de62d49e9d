import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { harFixture } from '../support/har-scenarios.js';
import { CAN_RUN, curlCommand, newBrowser, openPage, startUi, type UiServer } from './ui-harness.js';

/**
 * Accessibility: axe-core on every tab, with its results showing, in light and dark; and the tabs
 * work from the keyboard. axe is injected as a script, which the page's CSP forbids, so only the
 * axe context bypasses the CSP.
 */

let ui: UiServer;
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  if (!CAN_RUN) return;
  [ui, demo, browser] = await Promise.all([startUi(), startDemoServer(), newBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([ui?.stop(), demo?.close()]);
});

const TABS = ['Guide', 'Request', 'Token', 'HAR file'] as const;

interface AxeResult {
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> }>;
}

/** Every tab with something in it: the guide and a request checked, a token inspected, a HAR analysed. */
async function fillEveryTab(page: Page): Promise<void> {
  const e = demo.endpoints.find((x) => x.path === '/api/expired')!;
  const guide = page.getByRole('tabpanel', { name: 'Guide' });
  await guide.getByLabel('Address (URL) that refuses you').fill(e.request.url);
  await guide.getByRole('button', { name: 'Check this address' }).click();
  await guide.locator('.full-report').waitFor({ timeout: 30_000 });
  await guide
    .getByRole('group', { name: /private \(incognito\) window/ })
    .getByLabel('Yes', { exact: true })
    .check();

  await page.getByRole('tab', { name: 'Request' }).click();
  const req = page.getByRole('tabpanel', { name: 'Request' });
  await req.getByLabel('Your request').fill(curlCommand(e.request));
  await req.getByRole('button', { name: 'Diagnose' }).click();
  await req.locator('.report').waitFor({ timeout: 30_000 });

  await page.getByRole('tab', { name: 'Token' }).click();
  const tok = page.getByRole('tabpanel', { name: 'Token' });
  await tok.getByLabel('Token', { exact: true }).fill(e.request.headers[0]![1]);
  await tok.getByLabel(/Offline/).check();
  await tok.getByRole('button', { name: 'Inspect token' }).click();
  await tok.locator('.claims-view').waitFor({ timeout: 20_000 });

  await page.getByRole('tab', { name: 'HAR file' }).click();
  const har = page.getByRole('tabpanel', { name: 'HAR file' });
  await har.locator('input[type=file]').setInputFiles(harFixture('refresh-loop'));
  await har.locator('.report').waitFor();
  // Everything folded away is opened, so axe sees it too.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
}

describe.skipIf(!CAN_RUN)('accessibility', () => {
  it('axe finds no serious or critical violation on any tab, light or dark', async () => {
    const s = await openPage(browser, ui, { bypassCSP: true });
    const { page } = s;
    try {
      await fillEveryTab(page);
      await page.addScriptTag({ content: axe.source });
      const found: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const tab of TABS) {
          await page.getByRole('tab', { name: tab }).click();
          const r = await page.evaluate(async () => {
            const w = window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<unknown> } };
            return w.axe.run(document, { resultTypes: ['violations'] });
          });
          for (const v of (r as AxeResult).violations)
            if (v.impact === 'serious' || v.impact === 'critical')
              found.push(
                `${scheme} ${tab}: ${v.id} (${v.impact}) ${v.help}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
              );
        }
      }
      expect(found).toEqual([]);
    } finally {
      await s.context.close();
    }
  }, 90_000);
});

describe.skipIf(!CAN_RUN)('keyboard', () => {
  it('Tab reaches the tabs; arrow keys, Home and End switch them; the focus is visible', async () => {
    const s = await openPage(browser, ui);
    const { page } = s;
    try {
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return {
            role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '',
            text: el?.textContent ?? '',
            selected: el?.getAttribute('aria-selected') ?? '',
            outline: el ? getComputedStyle(el).outlineStyle : '',
            type: el?.getAttribute('type') ?? '',
          };
        });
      const visiblePanel = () =>
        page.evaluate(() => document.querySelector('[role=tabpanel]:not([hidden])')?.id ?? '');

      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ role: 'tab', text: 'Guide', selected: 'true' });
      expect((await focused()).outline).not.toBe('none');

      await page.keyboard.press('ArrowRight');
      expect(await focused()).toMatchObject({ role: 'tab', text: 'Request', selected: 'true' });
      expect(await visiblePanel()).toBe('panel-request');
      await page.keyboard.press('End');
      expect(await focused()).toMatchObject({ text: 'HAR file', selected: 'true' });
      expect(await visiblePanel()).toBe('panel-har');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toMatchObject({ text: 'Guide', selected: 'true' });
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toMatchObject({ text: 'HAR file' });
      await page.keyboard.press('Home');
      expect(await focused()).toMatchObject({ text: 'Guide' });
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toMatchObject({ text: 'HAR file', selected: 'true' });

      // One tab stop for the tablist: Tab goes on into the panel, and reaches the file input.
      let reached = false;
      for (let i = 0; i < 6 && !reached; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect(f.role).not.toBe('tab');
        reached = f.type === 'file';
      }
      expect(reached).toBe(true);
      expect(s.problems).toEqual([]);
    } finally {
      await s.context.close();
    }
  });
});
