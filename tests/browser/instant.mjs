// Real-browser check of instant search: typing in the header's search box
// lists the first matches under it; the arrow keys reach them, Escape
// closes the list, Enter on a result opens it.
import { run, collectErrors } from './run.mjs';

const [base, words, expectTitle] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = collectErrors(page);
  await page.goto(`${base}/`);
  const input = page.locator('header form.search input[name=q]');
  await input.pressSequentially(words, { delay: 30 });
  const first = page.locator('header .instant a').first();
  await first.waitFor({ timeout: 10000 });
  result.titles = await page.locator('header .instant a').allTextContents();
  result.said = await page.locator('header .instant [aria-live]').textContent();
  await input.press('ArrowDown');
  result.focused = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press('Escape');
  result.closed = await page.locator('header .instant').isHidden();
  result.backInField = await page.evaluate(() => document.activeElement?.getAttribute('name'));
  await input.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL(/\/t\/\d+$/), page.keyboard.press('Enter')]);
  result.opened = await page.locator('h1').first().textContent();
  result.expected = expectTitle;
  result.pageErrors = errors;
});
