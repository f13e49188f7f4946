// Real-browser check of the frame and the home page, in English and in
// Persian: on a 390×844 phone the header is at most 64 px tall, nothing
// scrolls sideways, the search is behind its icon and the navigation
// behind the menu button (opened and closed from the keyboard); the
// navigation and the brand sit at the start of the line (left in English,
// right in Persian), at phone and desktop sizes; the skip link shows when
// focused and focus is visible; axe-core checks the page at both sizes.
// Prints one JSON line for the Rust test that runs this, and exits
// non-zero on any failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [base, login, password] = process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { pageErrors: [] };

async function visitor(lang, viewport) {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: 'hearth_lang', value: lang, url: base }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') result.pageErrors.push(m.text()); });
  return page;
}

// Signs in and makes `lang` the member's language (with the footer's
// picker, as a member would: their setting outranks the cookie).
async function signIn(page, lang) {
  await page.goto(`${base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('form.compose button[type=submit]')]);
  await page.selectOption('#ui-language', lang);
  // Already at / before the form is sent: wait for the new page itself.
  await Promise.all([page.waitForNavigation(), page.click('form.language button[type=submit]')]);
}

// axe-core on the page as it is now, with the rules of every_page.mjs
// (WCAG 2.2 A and AA, best practices).
async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      })),
    };
  });
}

// Where things are: the header's height, whether the page scrolls
// sideways, what is shown, and the boxes of the brand and of the first
// navigation link's text (its words, not its full-width box).
async function geometry(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top), height: Math.round(r.height) };
    };
    const textBox = (el) => {
      if (!el) return null;
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      return { left: Math.round(r.left), right: Math.round(r.right) };
    };
    const shown = (sel) => {
      const el = document.querySelector(sel);
      return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    return {
      viewport: innerWidth,
      header: document.querySelector('header.top').getBoundingClientRect().height,
      scrollWidth: document.documentElement.scrollWidth,
      searchForm: shown('form.search'),
      searchIcon: shown('.search-icon'),
      menuButton: shown('.menu-button'),
      nav: shown('#site-nav'),
      brand: textBox(document.querySelector('.brand')),
      firstLink: textBox(document.querySelector('#site-nav a')),
      main: box(document.querySelector('main')),
    };
  });
}

async function check(lang) {
  const out = {};
  // The phone.
  const phone = await visitor(lang, { width: 390, height: 844 });
  await phone.goto(`${base}/`);
  out.dir = await phone.evaluate(() => document.documentElement.dir);
  out.phone = await geometry(phone);
  // The first Tab reaches the skip link, which then shows.
  await phone.keyboard.press('Tab');
  out.skip = await phone.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return {
      isSkip: el.classList.contains('skip'),
      visible: r.top >= 0 && r.bottom <= innerHeight && r.width > 0,
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    };
  });
  // The menu from the keyboard: Enter opens it, Escape closes it and the
  // focus goes back to the button.
  await phone.focus('.menu-button');
  out.menuFocusOutline = await phone.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
  await phone.keyboard.press('Enter');
  out.menuOpen = await geometry(phone);
  out.menuExpanded = await phone.getAttribute('.menu-button', 'aria-expanded');
  await phone.focus('#site-nav a');
  await phone.keyboard.press('Escape');
  out.menuClosedByEscape = await phone.evaluate(() => ({
    expanded: document.querySelector('.menu-button').getAttribute('aria-expanded'),
    focusOnButton: document.activeElement.classList.contains('menu-button'),
  }));
  out.phoneAxe = await axe(phone);
  // A signed-in member's phone frame (bell, avatar) fits as well.
  const member = await visitor(lang, { width: 390, height: 844 });
  await signIn(member, lang);
  out.memberPhone = await geometry(member);
  out.memberBadge = await member.evaluate(() => {
    const bell = document.querySelector('.bell');
    const badge = bell && bell.querySelector('.unread');
    return {
      label: bell && bell.getAttribute('aria-label'),
      badge: badge && badge.textContent,
      visible: !!badge && badge.getClientRects().length > 0,
    };
  });
  // The desktop.
  const desktop = await visitor(lang, { width: 1280, height: 800 });
  await desktop.goto(`${base}/`);
  out.desktop = await geometry(desktop);
  out.desktopAxe = await axe(desktop);
  return out;
}

try {
  result.en = await check('en');
  result.fa = await check('fa');
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ...result, error: String(e && e.stack || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
