// Real-browser check of the agent composer: a canned response goes in
// where the cursor is, and what the agent typed around it stays.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, taskPath] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, taskPath);
  const area = page.locator('#reply-body');
  await area.fill('Thanks for waiting.\n\nRegards');
  // The cursor after the first paragraph.
  await area.evaluate((el) => { const at = 'Thanks for waiting.\n\n'.length; el.setSelectionRange(at, at); });
  await page.click('#canned-form button[type=submit]');
  result.url = page.url();
  result.composer = await area.inputValue();
  result.pageErrors = errors;
});
