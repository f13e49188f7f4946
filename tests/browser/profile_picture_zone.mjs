// Real-browser check of the profile settings: a member who never chose a
// time zone finds their browser's preselected (and is told so), saving
// keeps it, and choosing a picture uploads it and shows it at once.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, zone] = process.argv.slice(2);
await run(async (browser, result) => {
  const context = await browser.newContext({ timezoneId: zone });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, '/settings/profile');
  result.preselected = await page.locator('#time_zone').inputValue();
  result.toldDetected = await page.locator('#time-zone-detected').isVisible();
  await Promise.all([page.waitForURL(/saved=1/), page.click('form[action="/settings/profile"] button[type=submit]')]);
  result.saved = await page.locator('#time_zone').inputValue();
  const before = await page.locator('.profile-avatar img.avatar').getAttribute('src');
  // A picture made in the page, chosen in the file picker.
  const png = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 80;
    const g = canvas.getContext('2d');
    g.fillStyle = '#15803d';
    g.fillRect(0, 0, 120, 80);
    const blob = await new Promise((done) => canvas.toBlob(done, 'image/png'));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  await page.setInputFiles('#avatar-file', { name: 'me.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await page.waitForFunction((old) => document.querySelector('.profile-avatar img.avatar').getAttribute('src') !== old, before, { timeout: 10000 });
  const img = page.locator('.profile-avatar img.avatar');
  await img.evaluate((i) => (i.complete ? null : new Promise((done) => { i.onload = done; i.onerror = done; })));
  result.avatarSrc = await img.getAttribute('src');
  result.avatarWidth = await img.evaluate((i) => i.naturalWidth);
  result.status = await page.locator('[data-avatar-upload] .upload-status').textContent();
  result.pageErrors = errors;
});
