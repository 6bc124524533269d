import { chromium } from 'playwright-core';
const [file, out, t0, t1] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
await page.goto('file://' + file);
if (t0) {
  // zoom by key presses around the point: use data-goto on a fake element
  await page.evaluate(([a, b]) => { const li = document.createElement('div'); li.setAttribute('data-goto', String((a + b) / 2)); document.body.appendChild(li); li.click(); }, [Number(t0), Number(t1)]);
  await page.waitForTimeout(700); await page.evaluate(() => window.scrollTo(0, 0));
}
await page.screenshot({ path: out });
await browser.close();
