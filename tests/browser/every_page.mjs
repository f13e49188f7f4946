// Every page, for every role, at desktop and phone sizes, in the English
// and the Persian interface: no script or console errors, no sideways
// scroll on a phone, a phone header of at most 64 px, `<html lang dir>` from
// the interface language, the navigation on the reading side, and axe-core
// (WCAG 2.2 AA rules) with zero violations. Prints one JSON line for the Rust
// test that runs this (tests/tests/browser_pages.rs), and exits non-zero if
// the run itself breaks.
//
// argv: base, password, plan (JSON: [{ "login": null | "name", "paths": [..] }]).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [base, password, planJson] = process.argv.slice(2);
const plan = JSON.parse(planJson);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const result = { checked: [], problems: [] };

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
      })),
    };
  });
}

// Sign in through the form, then choose the interface language with the
// footer's picker (a member's choice is their setting; a visitor's a cookie).
async function session(login, lang, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (login) {
    await page.goto(`${base}/login?next=/`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form.compose button[type=submit]')]);
  } else {
    await page.goto(`${base}/`);
  }
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await page.selectOption('#ui-language', lang);
    await Promise.all([page.waitForLoadState('load'), page.click('form.language button[type=submit]')]);
    // Polled while the next page loads: there may be no document element yet.
    await page.waitForFunction((l) => document.documentElement?.lang === l, lang);
  }
  return { page, errors };
}

for (const lang of ['en', 'fa']) {
  for (const role of plan) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const { page, errors } = await session(role.login, lang, viewport);
      for (const path of role.paths) {
        errors.length = 0;
        const response = await page.goto(`${base}${path}`);
        const where = { role: role.login || 'visitor', lang, size, path };
        const facts = await page.evaluate(() => {
          const header = document.querySelector('header.top');
          const brand = document.querySelector('header.top .brand');
          const b = brand ? brand.getBoundingClientRect() : null;
          return {
            lang: document.documentElement.lang,
            dir: document.documentElement.dir,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            headerHeight: header ? header.getBoundingClientRect().height : null,
            brandLeft: b ? b.left : null,
            brandRight: b ? b.right : null,
          };
        });
        const audit = await axe(page);
        const status = response ? response.status() : 0;
        const expected = role.expect?.[path] ?? 200;
        // The browser reports an error page's own status as a failed load.
        const pageErrors = errors.filter((e) => expected === 200 || !e.includes(`status of ${expected}`));
        const checks = {
          status: status === expected,
          lang: facts.lang === lang && facts.dir === (lang === 'fa' ? 'rtl' : 'ltr'),
          noSidewaysScroll: facts.scrollWidth <= facts.innerWidth,
          header: size !== 'phone' || (facts.headerHeight !== null && facts.headerHeight <= 64),
          // The frame starts on the reading side: the brand at the left in
          // English, at the right in Persian.
          readingSide: lang === 'fa'
            ? facts.brandRight > facts.innerWidth - 40
            : facts.brandLeft < 40,
          noErrors: pageErrors.length === 0,
          axeRan: audit.passes > 10,
          axeClean: audit.violations.length === 0,
        };
        result.checked.push(where);
        const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
        if (failed.length) {
          result.problems.push({ ...where, failed, status, facts, errors: pageErrors, violations: audit.violations });
        }
      }
      await page.context().close();
    }
  }
}
await browser.close();
console.log(JSON.stringify(result));
