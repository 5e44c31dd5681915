/**
 * The ProjectSync's Salesforce read against the Salesforce sandbox: one HTTP try per activity attempt, so a 5xx is
 * reported as Salesforce unavailable at once (Temporal retries the activity), not after jsforce's own 15.5 s of
 * retries, which would outlast the activity's 15 s timeout and park the sync as a timeout.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createSalesforceActivities } from '../../activities/salesforce/project-activities';
import { loadConfig } from '../../common/config';
import { salesforceFieldNames } from '../../mappings/project-mapping';
import { projectMapping } from '../../mappings';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { salesforceSession } from '../../workers/systems';

const READ_ROUTE = 'GET /services/data/:version/sobjects/:sobject/:id';

let sandbox: SalesforceSandbox;
let activities: ReturnType<typeof createSalesforceActivities>;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ port: 0, logger: false });
  const config = loadConfig({ SALESFORCE_LOGIN_URL: sandbox.url });
  activities = createSalesforceActivities(salesforceSession(config), salesforceFieldNames(projectMapping));
});

afterAll(async () => {
  await sandbox?.close();
});

async function call(path: string, method = 'GET', body?: unknown): Promise<Response> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
  return response;
}

const reads = async () => ((await (await call('/sandbox/stats')).json()) as { api: Record<string, number> }).api;

describe('readSalesforceProject', () => {
  it('reads the mapped fields of a live record', async () => {
    const created = (await (
      await call('/sandbox/ui/Project__c', 'POST', { Name: 'Read Hall', City__c: 'Bend' })
    ).json()) as {
      Id: string;
    };
    const record = await activities.readSalesforceProject(created.Id);
    expect(record).toMatchObject({ status: 'live', fields: { Name: 'Read Hall', City__c: 'Bend' } });
    expect(record.lastModifiedAt).toBeGreaterThan(0);
  });

  it('reads a field the worker’s mapping gained after the activities were made (tandem mapping apply)', async () => {
    const mapped = salesforceFieldNames(projectMapping);
    const following = createSalesforceActivities(
      salesforceSession(loadConfig({ SALESFORCE_LOGIN_URL: sandbox.url })),
      () => Promise.resolve(mapped),
    );
    const created = (await (
      await call('/sandbox/ui/Project__c', 'POST', { Name: 'Grown Hall', Procore_Link_Status__c: 'Deleted in Procore' })
    ).json()) as { Id: string };
    expect((await following.readSalesforceProject(created.Id)).fields).not.toHaveProperty('Procore_Link_Status__c');
    mapped.push('Procore_Link_Status__c');
    expect((await following.readSalesforceProject(created.Id)).fields).toMatchObject({
      Name: 'Grown Hall',
      Procore_Link_Status__c: 'Deleted in Procore',
    });
  });

  it('fails as Salesforce unavailable after one try when Salesforce answers 5xx', async () => {
    const created = (await (await call('/sandbox/ui/Project__c', 'POST', { Name: 'Dark Hall' })).json()) as {
      Id: string;
    };
    await activities.readSalesforceProject(created.Id);
    const before = (await reads())[READ_ROUTE] ?? 0;
    await call('/sandbox/faults', 'POST', { errorRate: 1 });
    const startedAt = Date.now();
    try {
      const failure = await activities.readSalesforceProject(created.Id).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'TANDEM_SALESFORCE_UNAVAILABLE', nonRetryable: false });
    } finally {
      await call('/sandbox/faults', 'DELETE');
    }
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect((await reads())[READ_ROUTE]).toBe(before + 1);
  });
});
