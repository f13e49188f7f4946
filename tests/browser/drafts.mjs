// Real-browser check of drafts kept on the server: a reply being written
// survives a reload and is there in a second browser; posting it clears
// it everywhere. The ask form keeps its title and text the same way.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, threadPath] = process.argv.slice(2);
await run(async (browser, result) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, threadPath);
  const text = 'Half-written: hold the reset button for ten seconds';
  await page.locator('#body').pressSequentially(text, { delay: 5 });
  await page.locator('.draft-status', { hasText: /\S/ }).waitFor({ timeout: 10000 });
  result.savedSays = await page.locator('.draft-status').textContent();
  await page.reload();
  result.afterReload = await page.locator('#body').inputValue();

  // Another browser (another device): the same draft.
  const second = await browser.newContext();
  const other = await second.newPage();
  errors.push(...collectErrors(other));
  await signIn(other, base, login, password, threadPath);
  result.inSecondBrowser = await other.locator('#body').inputValue();
  await Promise.all([other.waitForURL(/#p\d+$/), other.click('#reply button[type=submit]')]);
  result.posted = (await other.locator('article.post .body').last().textContent()).trim();
  await other.goto(`${base}${threadPath}`);
  result.secondAfterPosting = await other.locator('#body').inputValue();
  await page.reload();
  result.firstAfterPosting = await page.locator('#body').inputValue();

  // The ask form: title and text.
  await page.goto(`${base}/ask`);
  await page.locator('#title').fill('Scanner will not scan');
  await page.locator('#body').pressSequentially('Since the update it says offline.', { delay: 5 });
  await page.locator('.draft-status', { hasText: /\S/ }).waitFor({ timeout: 10000 });
  await page.goto(`${base}/ask`);
  result.askTitle = await page.locator('#title').inputValue();
  result.askBody = await page.locator('#body').inputValue();
  result.pageErrors = errors;
});
