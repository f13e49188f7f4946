// Real-browser check of the reply composer: the character count, a text
// over the limit kept from being sent (and kept), and the live preview
// rendering exactly what the posted reply shows. Prints one JSON line for
// the Rust test that runs this, and exits non-zero on any failure.
import { chromium } from 'playwright-core';

const [base, login, password, threadPath, limit] = process.argv.slice(2);
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

  await page.goto(`${base}/login?next=${encodeURIComponent(threadPath)}`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}${threadPath}`), page.click('form.compose button[type=submit]')]);

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
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ...result, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
