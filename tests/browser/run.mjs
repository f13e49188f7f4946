// What every browser check shares: Debian's Chromium, headless and quiet,
// and one JSON line for the Rust test that runs the script (non-zero exit
// on failure, with what was found so far).
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Run `check(browser, result)`, then print `result` as one JSON line.
export async function run(check, result = {}) {
  const browser = await launch();
  try {
    await check(browser, result);
    console.log(JSON.stringify(result));
  } catch (e) {
    console.log(JSON.stringify({ ...result, error: String(e) }));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// Script errors and console errors on `page`, collected as they happen.
export function collectErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

// Sign in on the login form and wait to land on `next`.
export async function signIn(page, base, login, password, next) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}${next}`), page.click('form.compose button[type=submit]')]);
}
