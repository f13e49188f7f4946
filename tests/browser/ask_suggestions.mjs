// Real-browser check of the ask page: sign in, type a question, see live
// suggestions appear (ask.js), open one. Prints one JSON line for the Rust
// test that runs this, and exits non-zero on any failure.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, expectTitle] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, '/ask');
  result.suggestionsHiddenAtStart = await page.locator('#suggestions').isHidden();

  await page.locator('#title').pressSequentially('export contacts csv', { delay: 20 });
  const link = page.locator('#suggestions a', { hasText: expectTitle });
  await link.first().waitFor({ timeout: 10000 });
  result.suggestions = await page.locator('#suggestions a').allTextContents();
  result.firstIsExpected = (result.suggestions[0] || '') === expectTitle;

  await Promise.all([page.waitForURL(/\/t\/\d+$/), link.first().click()]);
  result.openedUrl = page.url();
  result.openedTitle = await page.locator('h1').first().textContent();
  result.pageErrors = errors;
});
