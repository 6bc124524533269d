/**
 * report.html in a real browser: the flagship replica-partition run (seed 1) is rendered, opened
 * from disk in headless Chromium (Debian's `chromium` package driven by playwright-core; nothing is
 * downloaded), and must load without a console error, show a lane per node and exactly the sync
 * answers the story has (replica-a and replica-b +FULLRESYNC together at the start, +CONTINUE after
 * the short cut, +FULLRESYNC after the long one), show an arrow's details when it is clicked, and
 * zoom (time and, with it, the offset axis). A screenshot is written to test-results/report.png; with REPLISIM_REPORT_SCREENSHOT=<path>
 * it is written there too (docs/report.png is made that way).
 *
 * Where no browser can run (no Chromium binary, or it fails to start) the test is skipped and says
 * why. The browser gets BROWSER_MS_MAX for everything it does and is always closed.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport, runScenario } from '@replisim/harness';
import { summaryOf } from '@replisim/harness/cli';
import { replicaPartition } from '@replisim/scenarios';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** An environment variable (by a name held in a variable, as test/diff-property.test.ts does). */
const env = (name: string): string | undefined => process.env[name];
const CHROMIUM = env('REPLISIM_CHROMIUM') ?? '/usr/bin/chromium';
/** The browser's budget for launching, loading, clicking and the screenshot together. */
const BROWSER_MS_MAX = 40_000;

const dir = mkdtempSync(join(tmpdir(), 'replisim-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launch(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) {
    return `no Chromium at ${CHROMIUM} (install Debian's package: apt-get install -y chromium, or set REPLISIM_CHROMIUM)`;
  }
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      // Root in a container has no user namespaces for Chromium's sandbox.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      timeout: BROWSER_MS_MAX / 2,
    });
  } catch (error) {
    return `Chromium at ${CHROMIUM} did not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

describe('report.html in headless Chromium', () => {
  it('shows the replica-partition run: lanes, four sync answers, details on click, zoom', async (context) => {
    const browser = await launch();
    if (typeof browser === 'string') {
      console.warn(`report browser test skipped: ${browser}`);
      context.skip();
      return;
    }
    try {
      const started = performance.now();
      // The story as first told, pinned: replica-b cut for 8 s, then (3 s later) for 45 s.
      const params = {
        'cut-replica': 'replica-b',
        'short-cut-ms': '8000',
        'between-ms': '3000',
        'long-cut-ms': '45000',
      };
      const result = await runScenario(replicaPartition, { seed: 1, params });
      const ranMs = performance.now() - started;
      expect(result.verdict).toBe('held');
      const file = join(dir, 'report.html');
      writeFileSync(
        file,
        renderReport({
          ops: result.ops,
          events: result.events,
          summary: summaryOf(result, 'npx replisim run replica-partition --seed 1'),
          runDir: 'runs/replica-partition',
        }),
      );
      const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
      page.setDefaultTimeout(BROWSER_MS_MAX / 4);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(`file://${file}`);

      expect(await page.locator('#timeline .lane-label').allTextContents()).toEqual([
        'master',
        'replica-a',
        'replica-b',
      ]);
      expect(await page.locator('#messages g.sync-fullresync').count()).toBe(3);
      expect(await page.locator('#messages g.sync-continue').count()).toBe(1);
      expect(await page.locator('#offsets .psync-lost').count()).toBe(1);
      expect(await page.locator('#zoom-level').textContent()).toMatch(/^0\.00 s - \d+\.\d\d s$/);

      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      const screenshot = join(ROOT, 'test-results', 'report.png');
      await page.screenshot({ path: screenshot });
      const copy = env('REPLISIM_REPORT_SCREENSHOT');
      if (copy !== undefined && copy !== '') copyFileSync(screenshot, join(ROOT, copy));

      expect(await page.locator('#details').isVisible()).toBe(false);
      await page.locator('#messages g.sync-continue line.hit').click();
      const details = (await page.locator('#details').textContent()) ?? '';
      expect(details).toContain('master → replica-b: +CONTINUE');
      expect(details).toContain('Partial resynchronization request from 10.0.0.3:6379 accepted');

      const yTicks = await page.locator('#offsets .y-tick').allTextContents();
      await page.locator('#zoom-in').click();
      // Zooming in shows the middle half of the run.
      const zoomed = /^(\d+\.\d\d) s - (\d+\.\d\d) s$/.exec(
        (await page.locator('#zoom-level').textContent()) ?? '',
      );
      const totalS = result.durationMs / 1000;
      expect(Number(zoomed?.[1])).toBeCloseTo(totalS / 4, 0);
      expect(Number(zoomed?.[2])).toBeCloseTo((totalS * 3) / 4, 0);
      // The offset axis follows the offsets in view.
      expect(await page.locator('#offsets .y-tick').allTextContents()).not.toEqual(yTicks);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      console.log(
        `report browser test: scenario ${Math.round(ranMs)} ms, page ${Math.round(performance.now() - started - ranMs)} ms`,
      );
    } finally {
      await browser.close();
    }
  }, 90_000);
});
