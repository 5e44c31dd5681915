/**
 * The product's own operator page (/ui on the ingress) in a real headless Chromium: the operator gives the API
 * token, filters by status, sees a parked record's error, re-syncs it after the cause is fixed, and follows the
 * Temporal UI link. It talks only to the ingress, as it would against real systems.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_NAMESPACES } from '../support/temporal';
import { eventually } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  salesforceProject,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { CHROMIUM, CHROMIUM_ARGS, screenshot } from './chromium';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = 'operator-page-token';
const TEMPORAL_UI = 'http://temporal-ui.example:8233';

let system: RunningSystem;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-chromium.js')], { stdio: 'inherit' });
  system = await startSystem(
    TEST_NAMESPACES.operatorPage,
    { TANDEM_API_TOKEN: TOKEN, TEMPORAL_UI_URL: TEMPORAL_UI },
    { label: 'operator-page' },
  );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const projectRow = (page: Page, salesforceId: string) =>
  page.locator(`[data-testid="project-row"][data-id="${salesforceId}"]`);

async function openWithToken(token: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${system.ingressUrl}/ui`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('token-save').click();
  return page;
}

describe('the operator page', () => {
  it('shows nothing without the right token, and says why', async () => {
    const page = await openWithToken('not-the-token');
    await page.getByTestId('message').filter({ hasText: 'valid token' }).waitFor();
    expect(await page.getByTestId('project-row').count()).toBe(0);
    await page.close();
  });

  it('lists syncs, shows a parked record with its error, filters by status, and re-syncs it', async () => {
    const healthy = await consoleUser.createSalesforceProject(system, { Name: 'Operator Page Plaza' });
    const troubled = await consoleUser.createSalesforceProject(system, { Name: 'Operator Page Depot' });
    await linkedPair(system, healthy.Id);
    const { pc } = await linkedPair(system, troubled.Id);
    // A name Salesforce rejects (over 80 characters) parks the record.
    await consoleUser.editProcoreProject(system, pc.id, { name: 'D'.repeat(120) });
    await eventually(async () => (await syncState(system, troubled.Id)).status === 'error', 'the record parked');

    const page = await openWithToken(TOKEN);
    const parkedRow = projectRow(page, troubled.Id);
    await parkedRow
      .getByTestId('sync-status')
      .filter({ hasText: /^error$/ })
      .waitFor();
    await parkedRow.getByTestId('last-error').filter({ hasText: 'TANDEM_SALESFORCE_REJECTED' }).waitFor();
    expect(await parkedRow.getByTestId('procore-id').textContent()).toBe(String(pc.id));
    expect(await parkedRow.getByTestId('workflow-link').getAttribute('href')).toBe(
      `${TEMPORAL_UI}/namespaces/${TEST_NAMESPACES.operatorPage}/workflows/project-sync-${troubled.Id}`,
    );
    await projectRow(page, healthy.Id)
      .getByTestId('sync-status')
      .filter({ hasText: /^synced$/ })
      .waitFor();
    await screenshot(page, 'operator-page.png');

    await page.getByTestId('status-filter').selectOption('error');
    await projectRow(page, healthy.Id).waitFor({ state: 'detached' });
    expect(await page.getByTestId('project-row').count()).toBe(1);

    // A re-sync before the cause is fixed reads both sides again and reports that the record is still parked.
    await projectRow(page, troubled.Id).getByTestId('resync').click();
    await page
      .getByTestId('message')
      .filter({ hasText: `Re-synced ${troubled.Id}: error (TANDEM_SALESFORCE_REJECTED` })
      .waitFor({ timeout: 30_000 });

    await consoleUser.editProcoreProject(system, pc.id, { name: 'Operator Page Depot North' });
    await eventually(
      async () => (await salesforceProject(system, troubled.Id)).Name === 'Operator Page Depot North',
      'the fixed name',
    );
    await eventually(async () => {
      await page.getByTestId('refresh').click();
      return (await projectRow(page, troubled.Id).count()) === 0;
    }, 'the record gone from the parked list');
    await page.close();
  });
});
