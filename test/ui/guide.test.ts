import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
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
 * The Guide (the start page) walked through by a person: an address checked, the device facts the
 * page measures, answers clicked, advice that follows them, and the support block at the end.
 */

let ui: UiServer;
let demo: DemoServer;
let browser: Browser;
let s: PageSession;
let page: Page;

beforeAll(async () => {
  if (!CAN_RUN) return;
  [ui, demo, browser] = await Promise.all([startUi(), startDemoServer(), newBrowser()]);
  s = await openPage(browser, ui);
  page = s.page;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([ui?.stop(), demo?.close()]);
});

const guide = () => page.getByRole('tabpanel', { name: 'Guide' });
const question = (text: RegExp) => guide().getByRole('group', { name: text });
/** Answers a question; a step folds once answered, so its card is opened first when it is folded. */
async function answer(text: RegExp, label: string): Promise<void> {
  const q = question(text);
  if (!(await q.isVisible())) {
    // Inside a closed <details> the question is not in the accessibility tree: find its card by text.
    const folded = guide().locator('li.step.folded', { hasText: text });
    await folded.locator('summary').click();
  }
  await q.getByLabel(label, { exact: true }).check();
}
const adviceText = () => guide().locator('.advice').allInnerTexts();
const supportText = () => guide().getByLabel('Support block').inputValue();

describe.skipIf(!CAN_RUN)('the Guide', () => {
  it('is the start page', async () => {
    expect(await page.getByRole('tab', { name: 'Guide' }).getAttribute('aria-selected')).toBe('true');
    expect(await guide().isVisible()).toBe(true);
    // Before anything is checked, the five steps are there with their questions.
    expect(await guide().locator('li.step').count()).toBe(5);
    expect(await supportText()).toContain('not tested');
  });

  it('checks an address and shows what it found, step by step, and what the device shows', async () => {
    const e = demo.endpoints.find((x) => x.path === '/api/expired')!;
    await guide().getByLabel('Address (URL) that refuses you').fill(e.request.url);
    await guide().getByText('Sign-in details (optional').click();
    await guide()
      .getByLabel(/^Header lines/)
      .fill(e.request.headers.map(([n, v]) => `${n}: ${v}`).join('\n'));
    await guide().getByRole('button', { name: 'Check this address' }).click();
    await expect
      .poll(() => guide().getByRole('status').first().innerText(), { timeout: 30_000 })
      .toMatch(/^Checked: 401 Unauthorized\./);
    const step2 = guide().locator('li.step').nth(1);
    const problem = step2.locator('.checks li', { has: page.locator('.check-mark.fail') });
    expect(await problem.first().innerText()).toMatch(/✗\s*problem/);
    expect(await problem.first().locator('.cause-id').textContent()).toBe('token.expired');
    const facts = await guide().locator('.facts').innerText();
    expect(facts).toContain('the sign-in details you pasted are for alice');
    expect(facts).toContain('this browser accepts them');
    expect(facts).toMatch(/Clock: your device’s clock (agrees|is)/);
  });

  it('gives advice that follows the answers', async () => {
    await answer(/private \(incognito\) window/, 'Yes');
    await expect.poll(adviceText).toContainEqual(expect.stringMatching(/^It works in a private window/));
    await answer(/private \(incognito\) window/, 'No');
    await expect.poll(adviceText).not.toContainEqual(expect.stringMatching(/^It works in a private window/));
    await answer(/mobile data/, 'Not tried');
    await answer(/private \(incognito\) window/, 'Yes');
    await answer(/another browser/, 'No');
    const advice = await adviceText();
    expect(advice.some((a) => /^It works in a private window/.test(a))).toBe(true);
    expect(advice.some((a) => /cookies or cache|cookies/.test(a))).toBe(true);
  });

  it('ends with the support block: the address, a timestamp, the status, the cause and the answers', async () => {
    const e = demo.endpoints.find((x) => x.path === '/api/expired')!;
    const block = await supportText();
    expect(block).toContain(e.request.url);
    expect(block).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/);
    expect(block).toContain('401 Unauthorized');
    expect(block).toContain('token.expired');
    expect(block).toContain('Does the page work in a private (incognito) window? Yes.');
    expect(block).not.toContain('[private-window]');
    const token = e.request.headers[0]![1].replace(/^Bearer /, '');
    expect(block).not.toContain(token);

    await guide().getByRole('button', { name: 'Copy the support block' }).click();
    await expect.poll(() => clipboardText(page)).toContain(e.request.url);
    expect(await guide().locator('.support-block [role=status]').innerText()).toMatch(/Copied/);

    await guide().locator('.support-block').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 400));
    await page.screenshot({ path: `${SHOTS_DIR}/guide-end-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS_DIR}/guide-end-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${SHOTS_DIR}/guide-full-light.png`, fullPage: true });
  });

  it('ran under the server’s Content-Security-Policy without a violation', () => {
    expect(s.problems).toEqual([]);
  });
});
