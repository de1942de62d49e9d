import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * Real Chromium (Debian's `chromium` package) driven by playwright-core, for recording HAR files.
 * See shared/research/deps.md §9: Debian's build, no Playwright browser download.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The browser may reach nothing but this machine: every other host name fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/** Every page action (goto, waitForFunction, click …) gives up after this long. */
export const ACTION_TIMEOUT_MS = 10_000;
/** A whole scenario gives up after this long; the context is closed, which ends whatever still waits. */
export const SCENARIO_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;
const LAUNCH_TIMEOUT_MS = 30_000;

export interface HttpCredentials {
  username: string;
  password: string;
  origin?: string;
  send?: 'unauthorized' | 'always';
}

export interface RecordOptions {
  /**
   * Only where a `Basic` challenge would otherwise stall the page: without it Chromium waits on its
   * HTTP-auth prompt and the page's `fetch` never settles.
   */
  httpCredentials?: HttpCredentials;
  /** A browser launched once per test file (`launchChromium` in `beforeAll`); else one is launched here. */
  browser?: Browser;
  /** Where to write the HAR; a fresh temporary directory otherwise. */
  harPath?: string;
  timeoutMs?: number;
}

export interface Recording {
  harPath: string;
  har: unknown;
}

/** Debian's chromium is installed and playwright-core resolves. */
export function chromiumAvailable(): boolean {
  if (!existsSync(CHROMIUM_PATH)) return false;
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
}

/** Settles with `p`, or rejects after `ms`. The loser's later rejection is handled by the race. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** One headless Chromium with the project's launch options (a fresh profile: Playwright's temporary user-data dir). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return withTimeout(
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: LAUNCH_TIMEOUT_MS,
      // The Debian wrapper's RAM check and dbus complaints go to stderr; Playwright keeps them to itself.
    }),
    LAUNCH_TIMEOUT_MS + 5_000,
    'chromium launch',
  );
}

/**
 * Runs `scenario` in a fresh browser context that records a HAR (`content: 'embed'`), closes the
 * context (which writes the file) and, if it launched one, the browser, and returns the parsed HAR.
 * Never route requests (`page.route`) in a scenario meant to show a preflight: Playwright then answers
 * preflights itself and the browser's own CORS check never happens.
 */
export async function recordHar(
  scenario: (page: Page, ctx: BrowserContext) => Promise<void>,
  o: RecordOptions = {},
): Promise<Recording> {
  const harPath = o.harPath ?? join(mkdtempSync(join(tmpdir(), 'why401-chromium-rec-')), 'session.har');
  const own = o.browser ? undefined : await launchChromium();
  const browser = o.browser ?? (own as Browser);
  let ctx: BrowserContext | undefined;
  let failure: unknown;
  try {
    ctx = await withTimeout(
      browser.newContext({
        recordHar: { path: harPath, content: 'embed' },
        serviceWorkers: 'block',
        ...(o.httpCredentials ? { httpCredentials: o.httpCredentials } : {}),
      }),
      ACTION_TIMEOUT_MS,
      'new context',
    );
    ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
    ctx.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
    const page = await ctx.newPage();
    await withTimeout(scenario(page, ctx), o.timeoutMs ?? SCENARIO_TIMEOUT_MS, 'scenario');
  } catch (e) {
    failure = e;
  } finally {
    if (ctx) {
      await withTimeout(ctx.close(), CLOSE_TIMEOUT_MS, 'context close (HAR write)').catch((e: unknown) => {
        failure ??= e;
      });
    }
    if (own) await withTimeout(own.close(), CLOSE_TIMEOUT_MS, 'browser close').catch(() => undefined);
  }
  if (failure !== undefined) throw failure;
  const har: unknown = JSON.parse(readFileSync(harPath, 'utf8'));
  return { harPath, har };
}
