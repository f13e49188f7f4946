// Real-browser check of the reply composer: the character count, a text
// over the limit kept from being sent (and kept), and the live preview
// rendering exactly what the posted reply shows. Prints one JSON line for
// the Rust test that runs this, and exits non-zero on any failure.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, threadPath, limit] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, threadPath);

  const area = page.locator('#body');
  await area.fill('Hello');
  result.counter = await page.locator('#body-count .counter').textContent();
  result.tooLongHiddenAtStart = await page.locator('#body-too-long').isHidden();

  // Over the limit: said, and the form is not sent; the text stays.
  const long = 'x'.repeat(Number(limit) + 1);
  await area.fill(long);
  result.tooLongShown = await page.locator('#body-too-long').isVisible();
  result.invalid = await area.getAttribute('aria-invalid');
  await page.click('#reply button[type=submit]');
  await page.waitForTimeout(300);
  result.stayed = page.url() === `${base}${threadPath}`;
  result.keptLength = (await area.inputValue()).length;

  // Live preview, then post: the preview is the post.
  const source = '**Restart** the [spooler](https://example.com/spooler) service:\n\n'
    + '1. Open *Services*\n2. Find `Print Spooler`\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |';
  await area.fill(source);
  result.tooLongHiddenAgain = await page.locator('#body-too-long').isHidden();
  const toggle = page.locator('#reply .preview-toggle');
  await toggle.click();
  result.expanded = await toggle.getAttribute('aria-expanded');
  await page.locator('#body-preview table').waitFor({ timeout: 10000 });
  // Typing goes on updating it.
  await area.press('Control+End');
  await area.type('\n\nDone.');
  await page.locator('#body-preview', { hasText: 'Done.' }).waitFor({ timeout: 10000 });
  const preview = (await page.locator('#body-preview').innerHTML()).trim();
  result.previewHasScript = preview.includes('<script');
  await Promise.all([page.waitForURL(/#p\d+$/), page.click('#reply button[type=submit]')]);
  const id = page.url().split('#')[1];
  const posted = (await page.locator(`#${id} .body`).innerHTML()).trim();
  result.previewMatchesPost = preview === posted;
  if (!result.previewMatchesPost) result.diff = { preview, posted };
  result.pageErrors = errors;
});
