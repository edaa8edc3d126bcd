// loop.mjs: the council loop through the real pages in Debian's chromium
// (headless), as the member, the secretary, the chair and the agency
// officer; saves screenshots of the main public pages.
// usage: node loop.mjs BASE_URL PASSWORD SCREEN_DIR
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, pw, screens] = process.argv.slice(2);
let passed = 0, failed = 0;
const day = (d) => new Date(Date.now() + 5 * 3600e3 + d * 86400e3).toISOString().slice(0, 10); // Almaty (UTC+5)

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log('  ok   ' + name);
  } catch (e) {
    failed++;
    console.log('  FAIL ' + name + ': ' + String(e.message || e).split('\n')[0]);
  }
}
function expect(cond, what) { if (!cond) throw new Error(what); }

const profile = mkdtempSync(join(tmpdir(), 'kenes-chromium-'));
// a fresh profile (--user-data-dir) through playwright's persistent context
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 900 },
  locale: 'en',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] || await browser.newPage();

// one browser, one person at a time: the cookies of the last one are cleared
async function as(login) {
  await browser.clearCookies();
  await page.goto(base + '/login');
  await page.fill('#f-login', login);
  await page.fill('#f-password', pw);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  expect(!page.url().includes('/login'), 'login ' + login);
  return page;
}
async function click(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).first().click()]);
}

let proposalUrl, meetingUrl, assignmentUrl;
try {
  const member = page, secretary = page, chair = page, officer = page;

  await step('member drafts and submits a proposal', async () => {
    await as('member');
    await member.goto(base + '/councils/ncpt/proposals/new');
    await member.fill('#f-title', 'Shelters for women in every region');
    await member.fill('#f-body', 'Open a shelter in every region, run with NGOs.');
    await click(member, 'Save the draft');
    proposalUrl = member.url();
    expect(/\/proposals\/\d+$/.test(proposalUrl), 'on the proposal page');
    await click(member, 'Submit to the council');
    expect((await member.textContent('main')).includes('submitted'), 'submitted');
  });
  await step('secretary sends it to the working group', async () => {
    await as('secretary');
    await secretary.goto(proposalUrl);
    await click(secretary, 'Send to the working group for review');
    expect((await secretary.textContent('main')).includes('in group review'), 'in group review');
  });
  await step('secretary schedules a meeting, puts it on the agenda, holds it, publishes minutes', async () => {
    await secretary.goto(base + '/councils/ncpt/meetings/new');
    await secretary.selectOption('#f-kind', 'plenary');
    await secretary.fill('#f-date', day(0));
    await secretary.fill('#f-time', '00:00');
    await secretary.fill('#f-place', 'Akorda, Astana');
    await click(secretary, 'Save');
    meetingUrl = secretary.url();
    expect(/\/meetings\/\d+$/.test(meetingUrl), 'on the meeting page');
    const pid = proposalUrl.split('/').pop();
    await secretary.selectOption('#f-proposal_id', pid);
    await click(secretary, 'Add to the agenda');
    await click(secretary, 'Mark as held');
    await secretary.fill('#f-minutes', '## Decided\n\nThe proposal was supported.');
    await click(secretary, 'Publish the minutes');
    const text = await secretary.textContent('main');
    expect(text.includes('6th plenary meeting') && text.includes('The proposal was supported.'), 'minutes shown');
  });
  await step('chair accepts the proposal and issues an assignment to the Ministry of Internal Affairs', async () => {
    await as('chair');
    await chair.goto(proposalUrl);
    await click(chair, 'Accept the proposal');
    await Promise.all([chair.waitForNavigation(), chair.getByRole('link', { name: 'Issue an assignment following this proposal' }).click()]);
    await chair.fill('#f-title', 'Open the shelters');
    await chair.fill('#f-agency', 'mvd');
    await chair.fill('#f-deadline', day(30));
    await chair.selectOption('#f-meeting_id', meetingUrl.split('/').pop());
    await click(chair, 'Issue the assignment');
    assignmentUrl = chair.url();
    expect(/\/assignments\/\d+$/.test(assignmentUrl), 'on the assignment page');
  });
  await step('officer acknowledges and asks for an extension', async () => {
    await as('officer');
    await officer.goto(base + '/agencies/mvd/queue');
    expect((await officer.textContent('main')).includes('Open the shelters'), 'in the queue');
    await click(officer, 'Acknowledge and start work');
    await Promise.all([officer.waitForNavigation(), officer.getByRole('link', { name: 'Ask for an extension' }).first().click()]);
    await officer.fill('#f-deadline', day(45));
    await officer.fill('#f-reason', 'Premises must be found in three regions.');
    await click(officer, 'Send the request to the chair');
    expect((await officer.textContent('main')).includes('Premises must be found'), 'request shown');
  });
  await step('chair grants the extension', async () => {
    await as('chair');
    await chair.goto(assignmentUrl);
    await click(chair, 'Grant the extension');
    expect((await chair.textContent('main')).includes(day(45)), 'new deadline in force');
  });
  await step('officer reports with an outcome indicator', async () => {
    await as('officer');
    const id = assignmentUrl.split('/').pop();
    await officer.goto(base + '/agencies/mvd/assignments/' + id + '/report');
    await officer.fill('#f-body', 'Shelters opened by order of the Minister.');
    await officer.fill('#f-evidence', 'https://t.me/Ulttyq_kenes');
    await officer.fill('#f-ind_name_1', 'Shelters opened');
    await officer.fill('#f-ind_unit_1', 'shelters');
    await officer.fill('#f-ind_actual_1', '+17');
    await officer.check('#f-final');
    await click(officer, 'Publish the report');
    expect((await officer.textContent('main')).includes('+17'), 'indicator shown');
  });
  await step('secretary accepts completion: completed on time', async () => {
    await as('secretary');
    await secretary.goto(assignmentUrl);
    await click(secretary, 'Accept completion');
    const text = await secretary.textContent('main');
    expect(text.includes('ON TIME') && text.includes('completed'), 'on time');
  });

  mkdirSync(screens, { recursive: true });
  await browser.clearCookies(); // the public's view
  const pub = page;
  const shots = [
    ['council', '/councils/ncpt'], ['meetings', '/councils/ncpt/meetings'], ['meeting-5', '/councils/ncpt/meetings/5'],
    ['proposals', '/councils/ncpt/proposals'], ['assignments', '/councils/ncpt/assignments'],
    ['assignment-mvd', '/councils/ncpt/assignments/1'], ['assignment-new', assignmentUrl ? assignmentUrl.replace(base, '') : '/councils/ncpt/assignments/1'],
    ['scorecard-mvd', '/agencies/mvd/scorecard'], ['reforms', '/councils/ncpt/reforms/1'], ['statistics', '/councils/ncpt/statistics'],
  ];
  for (const [name, path] of shots) {
    await step('screenshot ' + name, async () => {
      const r = await pub.goto(base + path);
      expect(r.status() === 200, path + ' ' + r.status());
      await pub.screenshot({ path: join(screens, name + '.png'), fullPage: true });
    });
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
