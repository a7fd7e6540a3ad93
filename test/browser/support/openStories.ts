import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_PATH } from './startDemo.js';

const root = fileURLToPath(new URL('./storyPage/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The stories of stories/ served by Vite as plain pages, and a Chromium page to open them in. */
export interface StoryPages {
  /** Every story as `File/Export` (`CircuitStatusChip/Open`), read from the stories files. */
  readonly storyIds: readonly string[];
  readonly page: Page;
  /** Uncaught errors of the page since the last {@link StoryPages.open}. */
  readonly pageErrors: readonly string[];
  /** Loads the page with only that story, after its loaders ran, as Storybook renders it. */
  open(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a Vite dev server on the story page (test/browser/support/storyPage) and Chromium with one page. */
export async function openStories(): Promise<StoryPages> {
  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    vite = await createServer({
      configFile: false,
      root,
      plugins: [react()],
      cacheDir: `${repoRoot}node_modules/.vite-story-pages`,
      logLevel: 'warn',
      clearScreen: false,
      server: { port: 0, host: '127.0.0.1', watch: null, hmr: false, fs: { allow: [repoRoot] } },
    });
    await vite.listen();
    const url = vite.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('The Vite dev server reports no local URL.');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => Array.isArray((window as { storyIds?: unknown }).storyIds), undefined, { timeout: 120_000 });
    const storyIds = await page.evaluate(() => (window as unknown as { storyIds: string[] }).storyIds);
    const server = vite;
    const chromiumBrowser = browser;
    return {
      storyIds,
      page,
      pageErrors,
      async open(id) {
        pageErrors.length = 0;
        await page.goto(`${url}?story=${encodeURIComponent(id)}`);
        await page.waitForFunction(() => {
          const w = window as { storyRendered?: true; storyError?: string };
          return w.storyRendered === true || w.storyError !== undefined;
        });
        const error = await page.evaluate(() => (window as { storyError?: string }).storyError);
        if (error !== undefined) throw new Error(`Story ${id} failed to render: ${error}`);
      },
      async close() {
        await chromiumBrowser.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await vite?.close();
    throw error;
  }
}
