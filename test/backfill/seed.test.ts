/** The seeded world: deterministic, two halves of one company, and pre-existing (no change events for itself). */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { Connection } from 'jsforce';
import { startProcoreSandbox } from '../../sandbox/procore/index';
import { startSalesforceSandbox } from '../../sandbox/salesforce/index';
import { generateWorld } from '../../sandbox/seed/world';
import { eventually } from '../support/eventually';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

describe('the seeded world', () => {
  it('is the same for the same seed, another for another, and about the asked size a side', () => {
    const world = generateWorld({ seed: 7, size: 1000 });
    expect(generateWorld({ seed: 7, size: 1000 })).toEqual(world);
    expect(generateWorld({ seed: 8, size: 1000 }).salesforce[0]).not.toEqual(world.salesforce[0]);
    expect(world.salesforce.length).toBeGreaterThan(950);
    expect(world.salesforce.length).toBeLessThan(1050);
    expect(world.procore.length).toBeGreaterThan(950);
    expect(world.procore.length).toBeLessThan(1050);
  });

  it('links only what exists on the other side, with inactive projects and deleted records among them', () => {
    const world = generateWorld({ seed: 3, size: 500 });
    const procoreIds = new Set(world.procore.map((p) => p.id));
    const salesforceIds = new Set(world.salesforce.map((r) => r.id));
    for (const r of world.salesforce) if (r.procoreId !== null) expect(procoreIds.has(r.procoreId)).toBe(true);
    for (const p of world.procore) if (p.originId !== null) expect(salesforceIds.has(p.originId)).toBe(true);
    expect(world.procore.some((p) => !p.project.active)).toBe(true);
    expect(world.salesforce.some((r) => r.deleted)).toBe(true);
    expect(world.procore.some((p) => p.project.projectNumber?.trim() !== p.project.projectNumber)).toBe(true);
  });

  it('fills the Salesforce sandbox on a first start, deleted records too, without one change event', async () => {
    const options = { seed: 5, size: 300 };
    const world = generateWorld(options);
    const salesforce = await startSalesforceSandbox({ port: 0, seed: options, logger: false });
    try {
      const conn = new Connection({
        oauth2: { loginUrl: salesforce.url, ...SANDBOX_DEFAULT_CREDENTIALS.salesforce },
        version: '60.0',
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      const live = await conn.query('SELECT Id FROM Project__c', { autoFetch: true, maxFetch: 10_000 });
      expect(live.totalSize).toBe(world.salesforce.filter((r) => !r.deleted).length);
      const all = await conn.query('SELECT Id FROM Project__c', { scanAll: true, autoFetch: true, maxFetch: 10_000 });
      expect(all.totalSize).toBe(world.salesforce.length);
      expect(await got(`${salesforce.url}/sandbox/events`).json()).toEqual([]);
      // The same check sees an event as soon as there is one.
      await conn.sobject('Project__c').update({ Id: world.salesforce.find((r) => !r.deleted)!.id, City__c: 'Reno' });
      expect(await got(`${salesforce.url}/sandbox/events`).json()).toHaveLength(1);
    } finally {
      await salesforce.close();
    }
  });

  it('fills the Procore sandbox on a first start without a webhook to a hook that was already there', async () => {
    const options = { seed: 5, size: 300 };
    const world = generateWorld(options);
    const dataFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-seed-')), 'procore.json');
    const retry = { initialDelayMs: 50, maxAttempts: 1 };
    const first = await startProcoreSandbox({ port: 0, dataFile, logger: false, webhookRetry: retry });
    const api = await procoreApi(first.url, first.companyId);
    const hook = await api
      .post('rest/v1.0/webhooks/hooks', {
        json: {
          company_id: first.companyId,
          hook: { api_version: 'v2', namespace: 'seed', destination_url: 'http://127.0.0.1:9/' },
        },
      })
      .json<{ id: number }>();
    await api.post(`rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
      json: {
        company_id: first.companyId,
        api_version: 'v2',
        trigger: { resource_name: 'Projects', event_type: 'create' },
      },
    });
    await first.close();

    const seeded = await startProcoreSandbox({ port: 0, dataFile, seed: options, logger: false, webhookRetry: retry });
    try {
      const seededApi = await procoreApi(seeded.url, seeded.companyId);
      const list = await seededApi('rest/v1.0/projects', {
        searchParams: { company_id: seeded.companyId, 'filters[by_status]': 'all', per_page: 1 },
      });
      expect(Number(list.headers.total)).toBe(world.procore.length);
      const webhooks = async () =>
        (await got(`${seeded.url}/sandbox/stats`).json<{ webhooks: Record<string, number> }>()).webhooks;
      expect(await webhooks()).toEqual({ delivered: 0, failed: 0, pending: 0, dropped: 0 });
      // The hook is live: a project created now is an event for it.
      await seededApi.post('rest/v1.0/projects', { json: { company_id: seeded.companyId, project: { name: 'New' } } });
      await eventually(async () => {
        const now = await webhooks();
        return now.failed + now.pending + now.delivered > 0;
      }, 'the hook to see the new project');
    } finally {
      await seeded.close();
    }
  });
});

async function procoreApi(url: string, companyId: number) {
  const { access_token: token } = await got
    .post(`${url}/oauth/token`, {
      json: {
        grant_type: 'client_credentials',
        client_id: SANDBOX_DEFAULT_CREDENTIALS.procore.clientId,
        client_secret: SANDBOX_DEFAULT_CREDENTIALS.procore.clientSecret,
      },
    })
    .json<{ access_token: string }>();
  return got.extend({
    prefixUrl: url,
    headers: { authorization: `Bearer ${token}`, 'procore-company-id': String(companyId) },
  });
}
