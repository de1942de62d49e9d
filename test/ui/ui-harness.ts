import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ACTION_TIMEOUT_MS, chromiumAvailable, launchChromium, withTimeout } from '../support/chromium.js';
import { CLI } from '../support/cli.js';

/**
 * The page's end-to-end tests run the built CLI's `why401 ui --no-open` as a child process, read
 * the one URL line it prints, and drive the page in Debian's Chromium.
 */

export const PAGE_BUILT = existsSync(fileURLToPath(new URL('../../dist/ui/index.html', import.meta.url)));
/** Chromium is there, the CLI and the page are built: otherwise the page tests are skipped. */
export const CAN_RUN = chromiumAvailable() && existsSync(CLI) && PAGE_BUILT;

/** Screenshots for a person to look at (not committed). */
export const SHOTS_DIR = '/tmp/why401-ui-shots';

export interface UiServer {
  /** `http://127.0.0.1:PORT/`: the page, without a key. */
  url: string;
  origin: string;
  /** The one-time link `http://127.0.0.1:PORT/#ticket=…` as printed, until a page has used it. */
  link: string | undefined;
  /** The launch key, once the first page traded the printed link's ticket for it. */
  key: string | undefined;
  stop(): Promise<void>;
}

export async function startUi(): Promise<UiServer> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^why401 ui: (http:\/\/127\.0\.0\.1:\d+\/#ticket=[A-Za-z0-9_-]+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`why401 ui exited (${code}): ${stderr}`)));
    }),
    15_000,
    'why401 ui start',
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await withTimeout(exited, 5_000, 'why401 ui stop').catch(() => {
      child.kill('SIGKILL');
    });
  };
  const origin = new URL(url).origin;
  return { url: `${origin}/`, origin, link: url, key: undefined, stop };
}

export interface PageSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console messages about the Content-Security-Policy, and uncaught page errors. */
  problems: string[];
}

/** A fresh context on the page, clipboard allowed; `bypassCSP` only where axe must be injected. */
export async function openPage(
  browser: Browser,
  ui: UiServer,
  o: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {},
): Promise<PageSession> {
  const context = await browser.newContext({
    colorScheme: o.colorScheme ?? 'light',
    viewport: { width: 1100, height: 900 },
    acceptDownloads: true,
    bypassCSP: o.bypassCSP ?? false,
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.origin });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (ui.link) {
    // The first page opens the printed link, as a person does: the page trades its one-time
    // ticket for the key and keeps the key in this tab's sessionStorage.
    const link = ui.link;
    ui.link = undefined;
    await page.goto(link);
    const key = await page.waitForFunction(() => sessionStorage.getItem('why401-key'));
    ui.key = (await key.jsonValue()) as string;
  } else {
    // The ticket is spent: later pages get the key the way a reloaded tab has it.
    if (ui.key)
      await context.addInitScript((k) => {
        try {
          sessionStorage.setItem('why401-key', k);
        } catch {
          // about:blank has no storage of its own
        }
      }, ui.key);
    await page.goto(ui.url);
  }
  return { browser, context, page, problems };
}

export async function newBrowser(): Promise<Browser> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  return launchChromium();
}

/** A header value inside single quotes, as a shell (and curl's paste parser) reads it. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The demo endpoint's request as a pasted command; `follow` is curl's -L, as `why401 demo` prints it. */
export function curlCommand(req: {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  follow?: boolean;
}): string {
  return [
    'curl',
    shellQuote(req.url),
    ...(req.follow ? ['-L'] : []),
    ...(req.method === 'GET' ? [] : ['-X', req.method]),
    ...req.headers.map(([n, v]) => `-H ${shellQuote(`${n}: ${v}`)}`),
  ].join(' \\\n  ');
}

/** The clipboard's text, as the page left it. */
export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}
