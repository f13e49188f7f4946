// Real-browser check of @mention completion in the reply composer: typing
// "@bo" lists bob; ArrowDown and Enter put "@bob " in, and the caret goes
// on after it.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, threadPath] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, threadPath);
  const area = page.locator('#body');
  await area.pressSequentially('Thanks @bo', { delay: 40 });
  const first = page.locator('.mentions button').first();
  await first.waitFor({ timeout: 10000 });
  result.listed = await page.locator('.mentions button').allTextContents();
  result.said = await page.locator('.mentions [aria-live]').textContent();
  await area.press('ArrowDown');
  result.focused = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press('Enter');
  await area.type('for the tip');
  result.composer = await area.inputValue();
  result.closed = await page.locator('.mentions').isHidden();
  result.pageErrors = errors;
});
