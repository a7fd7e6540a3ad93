import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { createBackend, type Backend, type BackendOptions } from '../../../demo/server/createBackend.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download does not work here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The tab tests keep two pages open: a page in the background must keep its timers and rendering at full speed.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

const configFile = fileURLToPath(new URL('../../../demo/app/vite.config.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The running demo: its backend, the app's URL, and a Chromium page on it. */
export interface Demo {
  readonly backend: Backend;
  /** The app's base URL, ending in `/`. */
  readonly appUrl: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught errors of the page (not failed requests, which the demo causes on purpose). */
  readonly pageErrors: readonly string[];
  /** Saves a screenshot of the page (of the whole page with `fullPage`) as `<name>.png`; see {@link screenshotPath}. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Where a screenshot goes: `docs/screenshots/<name>.png` (committed, shown by the READMEs) when
 * `UPDATE_SCREENSHOTS=1`, else `test-results/screenshots/<name>.png` (ignored by git), so that a test run does not
 * rewrite committed images; the screenshots are taken either way.
 */
export function screenshotPath(name: string): string {
  const folder = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
  return `${repoRoot}${folder}/${name}.png`;
}

/**
 * Starts what `npm start` starts, on free ports: the embedded backend (seeded) and the Vite dev server of demo/app
 * pointed at it; then Chromium with one 1280×800 page. `close()` stops all three.
 */
export async function startDemo(options: { rateLimit: BackendOptions['rateLimit'] }): Promise<Demo> {
  const backend = await createBackend({ port: 0, seed: true, rateLimit: options.rateLimit });
  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    vite = await createServer({
      configFile,
      // Its own cache of pre-bundled dependencies: Vite rebuilds it when NODE_ENV changes, and it is 'test' here but
      // 'development' under `npm start`, so sharing one would rebuild it on every switch.
      cacheDir: `${repoRoot}node_modules/.vite-browser-tests`,
      logLevel: 'warn',
      clearScreen: false,
      server: { port: 0, host: '127.0.0.1', strictPort: false, watch: null, hmr: false },
      define: {
        'import.meta.env.VITE_SUPABASE_URL': JSON.stringify(backend.url),
        'import.meta.env.VITE_SUPABASE_ANON_KEY': JSON.stringify('demo-anon-key'),
      },
    });
    await vite.listen();
    const appUrl = vite.resolvedUrls?.local[0];
    if (appUrl === undefined) throw new Error('The Vite dev server reports no local URL.');
    const launched = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    browser = launched;
    const context = await launched.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    const server = vite;
    return {
      backend,
      appUrl,
      browser: launched,
      page,
      pageErrors,
      async screenshot(name, screenshotOptions) {
        const path = screenshotPath(name);
        await mkdir(dirname(path), { recursive: true });
        await page.screenshot({ path, fullPage: screenshotOptions?.fullPage ?? false });
        return path;
      },
      async close() {
        const results = await Promise.allSettled([launched.close(), server.close(), backend.close()]);
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failure !== undefined) throw failure.reason;
      },
    };
  } catch (error) {
    await Promise.allSettled([browser?.close(), vite?.close(), backend.close()]);
    throw error;
  }
}

/**
 * Opens the app at `path` (`?openMs=2000#/contacts`) and waits for react-admin's first page. The first load of a
 * fresh dev server is slow (Vite transforms each module on request), hence the long timeout.
 */
export async function openApp(demo: Demo, path: string): Promise<void> {
  await demo.page.goto(`${demo.appUrl}${path}`, { timeout: 120_000 });
  await demo.page.locator('#main-content').waitFor({ timeout: 120_000 });
}

/** Waits until the element of `selector` has the text `text` (a substring), or fails with what it had. */
export async function waitForText(page: Page, selector: string, text: string | RegExp, timeout = 30_000): Promise<string> {
  const locator = page.locator(selector).first();
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    // A read cut short by the deadline keeps the text seen last, so the error tells what the page showed.
    last = (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? last;
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${selector} to show ${String(text)}; it shows ${JSON.stringify(last)}.`);
    await page.waitForTimeout(100);
  }
}

/** The state (`closed`, `open`, `halfOpen`, `isolated`) the app bar's chip shows for a resource's circuit. */
export function chipState(page: Page, resource: string): Promise<string | null> {
  return page.locator(`[data-testid="circuit-${resource}"] [role="group"][data-state]`).getAttribute('data-state', { timeout: 10_000 });
}

/** Waits until the app bar's chip of `resource` shows `state`. */
export async function waitForChip(page: Page, resource: string, state: string, timeout = 30_000): Promise<void> {
  // Attached, not visible: react-admin's app bar slides away while a long page scrolls down, and the chip's state is
  // what is asked here, not whether the bar is in view.
  await page.locator(`[data-testid="circuit-${resource}"] [role="group"][data-state="${state}"]`).waitFor({ state: 'attached', timeout });
}
