// Real-browser check of quote-reply: select a passage of a reply, press its
// Quote button, and the composer holds it as a Markdown quote crediting
// its author; posted, it renders as a quotation.
import { run, collectErrors, signIn } from './run.mjs';

const [base, login, password, threadPath, postId, passage] = process.argv.slice(2);
await run(async (browser, result) => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await signIn(page, base, login, password, threadPath);
  await page.locator('#body').fill('Thanks!');
  // Select the passage inside the reply's text, as a reader dragging would.
  result.selected = await page.evaluate(([id, words]) => {
    const body = document.querySelector(`#p${id} .body`);
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push([node, all.length]);
      all += node.textContent;
    }
    const at = all.indexOf(words);
    if (at < 0) return '';
    // The text node and offset where a character of `all` lies.
    const place = (i) => {
      const [node, start] = nodes.filter(([, s]) => s <= i).pop();
      return [node, i - start];
    };
    const range = document.createRange();
    range.setStart(...place(at));
    range.setEnd(...place(at + words.length - 1));
    range.setEnd(range.endContainer, range.endOffset + 1);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return sel.toString();
  }, [postId, passage]);
  await page.click(`#p${postId} button.quote`);
  result.composer = await page.locator('#body').inputValue();
  result.focused = await page.evaluate(() => document.activeElement?.id);
  await Promise.all([page.waitForURL(/#p\d+$/), page.click('#reply button[type=submit]')]);
  const id = page.url().split('#')[1];
  result.postedQuote = (await page.locator(`#${id} .body blockquote`).textContent()).trim();
  result.postedLink = await page.locator(`#${id} .body a[href="/p/${postId}"]`).count();
  result.pageErrors = errors;
});
