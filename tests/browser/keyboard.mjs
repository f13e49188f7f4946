// Keyboard only, in the English and the Persian interface: the first Tab
// reaches the skip link; a member signs in, opens a thread and posts a
// reply without a mouse; every element the keyboard reaches on the way shows
// a visible focus indicator. Prints one JSON line for
// tests/tests/browser_pages.rs.
//
// argv: base, login, password, thread id, reply text
import { chromium } from 'playwright-core';

const [base, login, password, thread, replyText] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { runs: [] };

// Tab until `matches(active element)` holds; records each stop's focus
// indicator. Gives up after `limit` presses.
async function tabTo(page, run, test, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
      const ring = s.boxShadow && s.boxShadow !== 'none';
      return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
        cls: el.className && typeof el.className === 'string' ? el.className : '',
        text: (el.textContent || '').trim().slice(0, 40), visible: outline || ring,
      };
    });
    if (!stop) continue;
    if (!stop.visible) run.invisibleFocus.push(stop);
    if (test(stop)) return stop;
  }
  return null;
}

try {
  for (const lang of ['en', 'fa']) {
    const run = { lang, invisibleFocus: [] };
    result.runs.push(run);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'hearth_lang', value: lang, url: base }]);
    const page = await context.newPage();
    page.on('pageerror', (e) => { run.pageError = String(e); });

    await page.goto(`${base}/login?next=${encodeURIComponent(`/t/${thread}`)}`);
    await page.keyboard.press('Tab');
    run.firstStopIsSkipLink = await page.evaluate(() => document.activeElement?.classList.contains('skip'));
    run.skipLinkVisibleOnFocus = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.bottom > 0;
    });
    run.reachedLogin = !!(await tabTo(page, run, (s) => s.id === 'login'));
    await page.keyboard.type(login);
    run.reachedPassword = !!(await tabTo(page, run, (s) => s.id === 'password', 5));
    await page.keyboard.type(password);
    await Promise.all([page.waitForURL(`${base}/t/${thread}`), page.keyboard.press('Enter')]);
    // If the member's setting is English, the Persian run switches with the
    // picker, by keyboard too.
    if ((await page.getAttribute('html', 'lang')) !== lang) {
      run.reachedPicker = !!(await tabTo(page, run, (s) => s.id === 'ui-language', 200));
      await page.keyboard.press(lang === 'fa' ? 'End' : 'Home');
      await tabTo(page, run, (s) => s.tag === 'button', 3);
      await page.keyboard.press('Enter');
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
    run.lang = await page.getAttribute('html', 'lang');
    const box = await tabTo(page, run, (s) => s.tag === 'textarea', 200);
    run.reachedReplyBox = !!box;
    const text = `${replyText} (${lang})`;
    await page.keyboard.type(text);
    // Past the composer's own buttons (attach, preview) to the reply button.
    await tabTo(page, run, (s) => s.tag === 'button' && s.type === 'submit', 8);
    await page.keyboard.press('Enter');
    run.replyPosted = await page
      .waitForFunction((t) => document.querySelector('main')?.textContent.includes(t), text, { timeout: 10000 })
      .then(() => true, () => false);
    await context.close();
  }
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ...result, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
