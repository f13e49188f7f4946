// Real-browser walk through the idea exchange, as people click it: a
// member's title resembles an existing idea, the similar ideas show and
// "vote for this instead" counts the vote; a second time she submits
// anyway; she withdraws and gives her vote; an agent moves the idea to
// Planned with a note, which the member reads on the timeline and in the
// bell; the roadmap lists it (also in the Persian, right-to-left UI); the
// agent merges the new idea into the old one and undoes it.
import { run, collectErrors, signIn } from './run.mjs';

const [base, member, agent, password, board, existingId, similarTitle] = process.argv.slice(2);
const existing = `${base}/ideas/${existingId}`;

await run(async (browser, result) => {
  const mine = await browser.newContext();
  const page = await mine.newPage();
  const errors = collectErrors(page);
  const voteCount = async () => (await page.locator('#vote-count').textContent()).trim();
  await signIn(page, base, member, password, `/ideas/b/${board}/new`);

  // A title like the existing idea's: the similar ideas show first.
  const fill = async () => {
    await page.fill('#title', similarTitle);
    await page.fill('#description', 'The screen is far too bright when I read at night.');
  };
  await fill();
  await Promise.all([page.waitForNavigation(), page.click('form.compose button[type=submit]')]);
  result.similarShown = await page.locator('#similar-ideas').isVisible();
  result.similarLinks = await page.locator('#similar-ideas li.similar-idea a').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  // Taken: "vote for this instead" lands on the existing idea, voted.
  await Promise.all([
    page.waitForURL(new RegExp(`/ideas/${existingId}\\?notice=voted`)),
    page.locator(`#similar-ideas form[action="/ideas/${existingId}/vote-instead"] button`).click(),
  ]);
  result.noticeAfterInstead = await page.locator('#idea-notice').isVisible();
  result.countAfterInstead = await voteCount();
  result.unvoteOffered = await page.locator('#unvote').isVisible();

  // Not taken: the same title again, and "submit anyway".
  await page.goto(`${base}/ideas/b/${board}/new`);
  await fill();
  await Promise.all([page.waitForNavigation(), page.click('form.compose button[type=submit]')]);
  await Promise.all([
    page.waitForURL(/\/ideas\/\d+$/),
    page.click('form.compose button[type=submit]'),
  ]);
  result.submittedUrl = page.url();
  result.submittedTitle = (await page.locator('h1 span[dir=auto]').first().textContent()).trim();
  result.ownIdeaVoteRefused = await page.locator('#vote').count() === 0;

  // Withdraw the vote on the existing idea, then give it again.
  await page.goto(existing);
  await Promise.all([page.waitForURL(/notice=unvoted/), page.click('#unvote')]);
  result.countAfterUnvote = await voteCount();
  await Promise.all([page.waitForURL(/notice=voted/), page.click('#vote')]);
  result.countAfterVote = await voteCount();

  // An agent answers with a status and a public note.
  const staff = await browser.newContext();
  const agentPage = await staff.newPage();
  const agentErrors = collectErrors(agentPage);
  await signIn(agentPage, base, agent, password, `/ideas/${existingId}`);
  await agentPage.selectOption('form[action$="/status"] select[name=status]', 'planned');
  await agentPage.fill('form[action$="/status"] textarea[name=note]', 'On the roadmap for the autumn release.');
  await Promise.all([
    agentPage.waitForURL(/notice=status/),
    agentPage.click('form[action$="/status"] button[type=submit]'),
  ]);
  result.statusAfterChange = await agentPage.locator('#idea-status').getAttribute('data-status');

  // The member reads it on the timeline and in the bell.
  await page.goto(existing);
  result.timelineNote = (await page.locator('.idea-timeline .idea-change .idea-note').last().textContent()).trim();
  await page.goto(`${base}/notifications`);
  result.bell = await page.locator('ol.notifications li').allTextContents();

  // The roadmap lists it under its column, in English and in Persian.
  await page.goto(`${base}/ideas/roadmap`);
  result.roadmapPlanned = await page
    .locator('.roadmap-column.kind-active .roadmap-idea a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  await page.selectOption('#ui-language', 'fa');
  await Promise.all([page.waitForNavigation(), page.click('form.language button[type=submit]')]);
  await page.goto(`${base}/ideas/roadmap`);
  result.roadmapFa = {
    lang: await page.getAttribute('html', 'lang'),
    dir: await page.getAttribute('html', 'dir'),
    ideas: await page.locator('.roadmap-idea').count(),
    // In a right-to-left page the first column sits on the right.
    firstColumnOnTheRight: await page.evaluate(() => {
      const cols = [...document.querySelectorAll('.roadmap-column')].map((c) => c.getBoundingClientRect());
      return cols.length > 1 && (cols[0].left > cols[1].left || cols[0].top < cols[1].top);
    }),
  };

  // The agent merges the member's new idea into the old one, then undoes it.
  const newId = result.submittedUrl.split('/').pop();
  await agentPage.goto(`${base}/ideas/${newId}`);
  await agentPage.fill('form[action$="/merge"] input[name=into]', existingId);
  await Promise.all([
    agentPage.waitForURL(new RegExp(`/ideas/${existingId}\\?notice=merged`)),
    agentPage.click('form[action$="/merge"] button[type=submit]'),
  ]);
  result.mergedHere = await agentPage.locator('.merged-here a').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  await Promise.all([
    agentPage.waitForURL(/notice=unmerged/),
    agentPage.click(`.merged-here form[action="/ideas/${newId}/unmerge"] button`),
  ]);
  result.afterUnmergeUrl = agentPage.url();
  await agentPage.goto(existing);
  result.mergedHereAfterUnmerge = await agentPage.locator('.merged-here').count();

  result.pageErrors = [...errors, ...agentErrors];
});
