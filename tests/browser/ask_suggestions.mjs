// Real-browser check of the ask page: sign in, type a question, see live
// suggestions appear (ask.js), open one. Prints one JSON line for the Rust
// test that runs this, and exits non-zero on any failure.
import { chromium } from 'playwright-core';

const [base, login, password, expectTitle] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = {};
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(`${base}/login?next=/ask`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/ask`), page.click('form.compose button[type=submit]')]);
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
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ...result, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
