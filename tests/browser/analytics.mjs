// Real-browser check of the analytics page: the charts render (and are
// hidden from screen readers, whose table carries the numbers), choosing a
// range and a board redraws them, and a CSV download parses.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password] = process.argv.slice(2);
await run(async (browser, result) => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, '/analytics');
  const firstChart = () => page.locator('#activity-h ~ figure svg.chart').first();
  result.charts = await page.locator('svg.chart').count();
  result.chartBox = await firstChart().boundingBox();
  result.chartHidden = await firstChart().getAttribute('aria-hidden');
  result.lines30 = await firstChart().locator('polyline').first().getAttribute('points');
  result.questions30 = await page.locator('dl.stats dd strong').first().textContent();
  await page.selectOption('select[name=range]', '7');
  await page.selectOption('select[name=board]', 'support');
  await Promise.all([page.waitForURL(/range=7/), page.click('.analytics-filters button[type=submit]')]);
  result.url = page.url();
  result.lines7 = await firstChart().locator('polyline').first().getAttribute('points');
  result.questions7 = await page.locator('dl.stats dd strong').first().textContent();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a[href^="/analytics/days.csv"]'),
  ]);
  result.csvName = download.suggestedFilename();
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  result.csv = readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  result.pageErrors = errors;
});
