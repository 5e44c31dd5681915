import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { COMPANY_ID, HEALTHCARE, apiClient, rawClient, startSandbox } from './support';

/** The browser part needs a Chromium on this machine (CHROMIUM_PATH, or Debian's package); the rest always runs. */
const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);
const withBrowser = chromiumPath ? it : it.skip;

describe('Procore sandbox: console', () => {
  let sandbox: ProcoreSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('creates and edits projects through the ui endpoints and lists them on the page', async () => {
    const created = await rawClient(sandbox).post<{ id: number; project_type: { name: string } }>(
      'sandbox/ui/projects',
      {
        json: { name: 'Console <Clinic>', project_type_id: HEALTHCARE },
      },
    );
    expect(created.statusCode).toBe(201);
    expect(created.body.project_type).toEqual({ id: HEALTHCARE, name: 'Healthcare' });
    const edited = await rawClient(sandbox).patch<{ city: string }>(`sandbox/ui/projects/${created.body.id}`, {
      json: { city: 'Fresno' },
    });
    expect(edited.body.city).toBe('Fresno');

    const page = await rawClient(sandbox).get('', { responseType: 'text' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Console &#60;Clinic&#62;');
    expect(page.body).toContain('Healthcare');
  });

  withBrowser('works in headless Chromium: create, then edit, through the form', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(sandbox.url);
      await page.fill('input[name=name]', 'Browser Built');
      await page.selectOption('select[name=project_type_id]', String(HEALTHCARE));
      await page.fill('input[name=total_value]', '42000');
      await Promise.all([page.waitForEvent('load'), page.click('#save')]);
      await page.locator('tr', { hasText: 'Browser Built' }).locator('button.edit').click();
      await page.fill('input[name=city]', 'Sacramento');
      await Promise.all([page.waitForEvent('load'), page.click('#save')]);
      expect(await page.locator('#message').textContent()).toBe('');
    } finally {
      await browser.close();
    }
    const client = await apiClient(sandbox);
    const found = await client.get<{ name: string; city: string; total_value: string }[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[name]': 'Browser Built' },
    });
    expect(found.body).toEqual([
      expect.objectContaining({ name: 'Browser Built', city: 'Sacramento', total_value: '42000.0' }),
    ]);
  });
});
