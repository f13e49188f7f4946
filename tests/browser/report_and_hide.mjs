// Real-browser check of moderation: a member reports a reply from the
// thread page (at desktop and phone sizes), a moderator rejects it from the
// review queue with a reason, the author reads the notice, and a visitor no
// longer sees the reply. axe-core checks the thread page with the report
// form open and the review page. Prints one JSON line for the Rust test
// that runs this, and exits non-zero on any failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [base, thread, reply, replyText, reporter, moderator, author, password, reason] =
  process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { pageErrors: [] };

// A fresh browser profile (its own cookies) with the page's errors recorded.
async function visitor(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') result.pageErrors.push(m.text()); });
  return page;
}

async function signIn(page, login, next) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}${next}`), page.click('form.compose button[type=submit]')]);
}

// axe-core on the page as it is now: the rules that passed (so a run that
// checked nothing shows) and the violations, with impact and where.
// Evaluated through the DevTools protocol, so the page's CSP does not apply.
async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      })),
    };
  });
}

// Whether the open report form fits the viewport: its box and every
// control inside it end within the viewport's width, and the page itself
// does not scroll sideways.
async function reportFormFits(page, form) {
  const width = page.viewportSize().width;
  const fit = await form.evaluate((f) => {
    const right = (el) => el.getBoundingClientRect().right;
    const box = f.getBoundingClientRect();
    const controls = [...f.querySelectorAll('input:not([type=hidden]), label, button, fieldset, legend')];
    return {
      left: box.left, width: box.width,
      right: Math.max(right(f), ...controls.map(right)),
      pageWidth: document.documentElement.scrollWidth,
    };
  });
  const visible = await form.isVisible() && await form.getByRole('button', { name: 'Send report' }).isVisible();
  return { viewport: width, ...fit, visible, fits: visible && fit.left >= 0 && fit.right <= width && fit.pageWidth <= width };
}

try {
  // The reporter opens the reply's report form, first at desktop size.
  const member = await visitor();
  await signIn(member, reporter, `/t/${thread}`);
  const post = member.locator(`#p${reply}`);
  result.replyShownBefore = (await post.locator('.body').textContent()).includes(replyText);
  await post.locator('details.report > summary').click();
  const form = post.locator('details.report form');
  await form.waitFor();
  result.desktop = await reportFormFits(member, form);
  result.threadAxe = await axe(member);
  // Then at phone size, where it is sent.
  await member.setViewportSize({ width: 390, height: 844 });
  result.phone = await reportFormFits(member, form);
  await form.getByLabel('Abusive or hateful').check();
  await form.getByLabel('Note for the moderators (optional)').fill('a personal attack');
  await Promise.all([
    member.waitForURL(new RegExp(`/t/${thread}\\?reported=${reply}`)),
    form.getByRole('button', { name: 'Send report' }).click(),
  ]);
  result.reportNotice = await member.locator('p.notice[role=status]').textContent();

  // The moderator finds it in the queue and rejects it with a reason.
  const mod = await visitor();
  await signIn(mod, moderator, '/mod/review');
  result.reviewAxe = await axe(mod);
  const item = mod.locator('article.review-item', { has: mod.locator(`a[href$="#p${reply}"]`) });
  result.itemShown = (await item.count()) === 1;
  result.itemReports = await item.locator('table tbody tr').allTextContents();
  await item.getByLabel('Reject', { exact: true }).check();
  await item.getByLabel('Reason told to the author').fill(reason);
  await Promise.all([
    mod.waitForURL(/\/mod\/review\?done=decided/),
    item.getByRole('button', { name: 'Decide' }).click(),
  ]);
  result.decidedNotice = await mod.locator('p.notice[role=status]').textContent();
  result.itemGone = (await mod.locator(`a[href$="#p${reply}"]`).count()) === 0;

  // The author reads why.
  const writer = await visitor();
  await signIn(writer, author, '/notifications');
  result.notifications = await writer.locator('ol.notifications li a').allTextContents();

  // A visitor no longer sees the reply.
  const anon = await visitor();
  await anon.goto(`${base}/t/${thread}`);
  result.anonymousSeesReply = (await anon.locator('main').textContent()).includes(replyText);
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ...result, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
