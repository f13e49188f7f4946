// Real-browser check of attachments: a screenshot pasted into the composer
// and a file dropped on it are uploaded and go in as Markdown at the
// cursor; the posted reply shows the picture and links the file. A stored
// file that holds a script runs nothing, opened directly or embedded.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, threadPath, scriptFileUrl] = process.argv.slice(2);
await run(async (browser, result) => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await signIn(page, base, login, password, threadPath);
  await page.locator('#body').fill('Here is what I see:\n');
  // Paste a picture, as copying a screenshot and pressing Ctrl+V does.
  await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 40;
    canvas.height = 30;
    const g = canvas.getContext('2d');
    g.fillStyle = '#c2410c';
    g.fillRect(0, 0, 40, 30);
    const blob = await new Promise((done) => canvas.toBlob(done, 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    const area = document.getElementById('body');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /!\[image\.png\]\(\/uploads\/[0-9a-f]{32}\/image\.png\)/
    .test(document.getElementById('body').value), null, { timeout: 10000 });
  // Drop a log file on the composer.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['error 42: disk full\n'], 'server.log', { type: 'text/plain' }));
    const area = document.getElementById('body');
    area.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    area.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /\[server\.log\]\(\/uploads\/[0-9a-f]{32}\/server\.log\)/
    .test(document.getElementById('body').value), null, { timeout: 10000 });
  result.composer = await page.locator('#body').inputValue();
  await Promise.all([page.waitForURL(/#p\d+$/), page.click('#reply button[type=submit]')]);
  const id = page.url().split('#')[1];
  const img = page.locator(`#${id} .body img`);
  await img.evaluate((i) => (i.complete ? null : new Promise((done) => { i.onload = done; i.onerror = done; })));
  result.imageWidth = await img.evaluate((i) => i.naturalWidth);
  result.fileLinks = await page.locator(`#${id} .body a[href*="/uploads/"]`).count();
  // A stored file holding a script, opened directly: it downloads.
  const download = page.waitForEvent('download', { timeout: 10000 })
    .then((d) => d.suggestedFilename()).catch(() => null);
  await page.goto(`${base}${scriptFileUrl}`).catch(() => {});
  result.downloaded = await download;
  // …and embedded in a page as an image and a frame: nothing runs.
  await page.goto(`${base}${threadPath}`);
  await page.evaluate((url) => {
    const i = document.createElement('img');
    i.src = url;
    document.body.append(i);
    const f = document.createElement('iframe');
    f.src = url;
    document.body.append(f);
  }, scriptFileUrl);
  await page.waitForTimeout(800);
  result.dialogs = dialogs;
  result.ranScript = await page.evaluate(() => window.hearthPwned === true);
  result.pageErrors = errors;
});
