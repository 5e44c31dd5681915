/**
 * The demo console in a real headless Chromium (Debian's, driven by playwright-core): a person creates a
 * project on the Salesforce side, watches it appear on the Procore side as synced, edits it back from Procore,
 * and opens its ProjectSync in the Temporal Web UI. This file runs its own Temporal dev server, with the UI.
 *
 * Screenshots go to test-output/screenshots/; with TANDEM_UPDATE_SCREENSHOTS=1 also to docs/screenshots/ (README).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startSandboxConsole, type SandboxConsole } from '../../demo/console';
import { freePort, startDevServer, type DevServer } from '../../workers/temporal/dev-server';
import { consoleUser, startSystem, type RunningSystem } from '../support/system';
import { TEST_OUTPUT } from '../support/process-harness';
import { CHROMIUM, CHROMIUM_ARGS, screenshot } from './chromium';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..');
const NAMESPACE = 'tandem-browser';

let temporal: DevServer;
let system: RunningSystem;
let sandboxConsole: SandboxConsole;
let browser: Browser;
let context: BrowserContext;

/** A row of one side's table, found by the project's name. */
const row = (page: Page, side: 'salesforce' | 'procore', name: string): Locator =>
  page.getByTestId(`${side}-row`).filter({ hasText: name });

async function waitForStatus(target: Locator, status: string, timeout = 30_000): Promise<void> {
  await target
    .getByTestId('sync-status')
    .filter({ hasText: new RegExp(`^${status}$`) })
    .waitFor({ timeout });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-chromium.js')], { stdio: 'inherit' });
  temporal = await startDevServer({
    uiPort: await freePort(),
    namespace: NAMESPACE,
    logFile: path.join(TEST_OUTPUT, 'browser-temporal.log'),
  });
  const temporalUiUrl = temporal.uiUrl ?? '';
  system = await startSystem(
    NAMESPACE,
    // Projects born in Procore stay unlinked here, so the page shows a Procore-only project.
    { TEMPORAL_UI_URL: temporalUiUrl, TANDEM_CREATE_IN_SALESFORCE: 'off' },
    { temporalAddress: temporal.address, label: 'browser' },
  );
  sandboxConsole = await startSandboxConsole({
    port: 0,
    salesforceUrl: system.salesforceUrl,
    procoreUrl: system.procoreUrl,
    operatorApiUrl: system.ingressUrl,
    temporalUiUrl,
    namespace: NAMESPACE,
  });
  // Company for the page: a project already synced, and a Procore-only one that Tandem leaves alone (creation in
  // Salesforce is off).
  await consoleUser.createSalesforceProject(system, {
    Name: 'Harbor View Tower',
    Project_Type__c: 'Commercial',
    Stage__c: 'Pre-Construction',
    City__c: 'Seattle',
  });
  await consoleUser.createProcoreProject(system, { name: 'Procore-only Warehouse', city: 'Boise' });
  // playwright-core gives every launch a fresh temporary profile of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandboxConsole?.close();
  await system?.stop();
  await temporal?.stop();
});

describe('the demo console', () => {
  let salesforceId: string;
  let workflowUrl: string;

  it('creates a project in Salesforce through the form and shows it synced on the Procore side', async () => {
    const page = await context.newPage();
    await page.goto(sandboxConsole.url);
    const form = page.getByTestId('salesforce-form');
    await form.locator('[name="Name"]').click();
    await page.keyboard.type('Lakeside Library');
    await form.locator('[name="Project_Number__c"]').fill('LL-2031');
    await form.locator('[name="Project_Type__c"]').selectOption('Education');
    await form.locator('[name="Stage__c"]').selectOption('Pre-Construction');
    await form.locator('[name="City__c"]').fill('Madison');
    await form.locator('[name="Estimated_Value__c"]').fill('18500000');
    await page.getByTestId('salesforce-save').click();

    const salesforceRow = row(page, 'salesforce', 'Lakeside Library');
    const procoreRow = row(page, 'procore', 'Lakeside Library');
    await waitForStatus(procoreRow, 'synced');
    await waitForStatus(salesforceRow, 'synced');
    salesforceId = (await salesforceRow.getAttribute('data-id')) ?? '';
    const procoreId = (await procoreRow.getAttribute('data-id')) ?? '';
    expect(salesforceId).toMatch(/^a0X/);
    expect(await procoreRow.getByTestId('link').textContent()).toBe(salesforceId);
    await salesforceRow.getByTestId('link').filter({ hasText: procoreId }).waitFor();
    workflowUrl = (await salesforceRow.getByTestId('workflow-link').getAttribute('href')) ?? '';
    expect(workflowUrl).toBe(`${temporal.uiUrl}/namespaces/${NAMESPACE}/workflows/project-sync-${salesforceId}`);
    await page.close();
  });

  it('edits the project on the Procore side and shows Salesforce follow', async () => {
    const page = await context.newPage();
    await page.goto(sandboxConsole.url);
    await row(page, 'procore', 'Lakeside Library').getByTestId('edit').click();
    const form = page.getByTestId('procore-form');
    expect(await form.locator('[name="name"]').inputValue()).toBe('Lakeside Library');
    await form.locator('[name="city"]').fill('Middleton');
    await form.locator('[name="project_stage_id"]').selectOption({ label: 'Course of Construction' });
    await page.getByTestId('procore-save').click();

    const salesforceRow = row(page, 'salesforce', 'Lakeside Library');
    await salesforceRow.locator('td', { hasText: /^Middleton$/ }).waitFor({ timeout: 30_000 });
    await salesforceRow.locator('td', { hasText: /^Course of Construction$/ }).waitFor();
    await waitForStatus(salesforceRow, 'synced');
    await waitForStatus(row(page, 'procore', 'Lakeside Library'), 'synced');
    await waitForStatus(row(page, 'procore', 'Harbor View Tower'), 'synced');
    await waitForStatus(row(page, 'procore', 'Procore-only Warehouse'), 'not linked');
    await screenshot(page, 'console.png');
    await page.close();
  });

  it('links to the ProjectSync workflow in the Temporal UI', async () => {
    const page = await context.newPage();
    await page.goto(workflowUrl);
    await page.getByText(`project-sync-${salesforceId}`).first().waitFor({ timeout: 30_000 });
    await page.getByText('Running').first().waitFor({ timeout: 30_000 });
    // The UI keeps polling, so the network never goes idle: wait for the timeline to show the first activity.
    await page.getByText('findOrCreateProcoreProject').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'temporal-ui-projectsync.png');
    await page.close();
  });
});
