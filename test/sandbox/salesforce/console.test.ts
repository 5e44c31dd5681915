/** The console page in headless Chromium: create and edit a project as a user, which publishes UI-origin events. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { control, startSandbox, type ChangeEvent } from './helpers';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

describeWithBrowser('console', () => {
  let sandbox: SalesforceSandbox;
  let browser: Browser;

  beforeAll(async () => {
    sandbox = await startSandbox();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('creates and edits a project through the form', async () => {
    const page = await browser.newPage();
    await page.goto(sandbox.url);
    await page.fill('input[name="Name"]', 'Console Tower');
    await page.selectOption('select[name="Project_Type__c"]', 'Healthcare');
    await page.fill('input[name="Start_Date__c"]', '2025-06-01');
    await page.click('button[type="submit"]');
    await page.waitForSelector('tr[data-id] >> text=Console Tower');

    await page.click('tr[data-id] >> text=Edit');
    await page.fill('input[name="City__c"]', 'Austin');
    await page.click('button[type="submit"]');
    await page.waitForSelector('tr[data-id] >> text=Austin');

    const events = (await (await control(sandbox.url, '/sandbox/events', 'GET')).json()) as ChangeEvent[];
    expect(events.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'UPDATE']);
    expect(events[0]!.payload).toMatchObject({
      Name: 'Console Tower',
      Project_Type__c: 'Healthcare',
      Start_Date__c: '2025-06-01',
    });
    expect(events[1]!.payload).toMatchObject({
      City__c: 'Austin',
      ChangeEventHeader: { changeOrigin: 'com/salesforce/api/soap/64.0;client=SfdcInternalAPI/' },
    });
    await page.close();
  });
});
