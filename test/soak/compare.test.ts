/**
 * The soak's judge on hand-made end states (the two sandboxes only, no Tandem): it must see a diverged field, a
 * duplicate Procore project, an unlinked record and a lost edit, and pass a pair that agrees with its last edits.
 */
import got from 'got';
import { projectMapping, toProcore, type CanonicalFields } from '../../mappings';
import { startProcoreSandbox, type ProcoreSandbox } from '../../sandbox/procore';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { mappingWithPolicy } from '../support/mapping-file';
import { procoreProject, type RunningSystem } from '../support/system';
import { compareSystems } from './lib/compare';
import { CONFLICT_WINDOW_MS, Ledger } from './lib/ledger';
import { People } from './lib/people';
import { Random } from './lib/random';
import { ValueMaker } from './lib/values';

let salesforce: SalesforceSandbox;
let procore: ProcoreSandbox;
let people: People;
let values: ValueMaker;

beforeEach(async () => {
  [salesforce, procore] = await Promise.all([
    startSalesforceSandbox({ port: 0, logger: false }),
    startProcoreSandbox({ port: 0, logger: false }),
  ]);
  people = new People(salesforce.url, procore.url);
  values = new ValueMaker(new Random(42));
});
afterEach(async () => {
  await Promise.all([salesforce.close(), procore.close()]);
});

/** A Salesforce record and a Procore project holding `fields`, linked both ways, as Tandem leaves them. */
async function linkedPair(
  ledger: Ledger,
  fields: CanonicalFields,
  at = Date.now(),
): Promise<{ salesforceId: string; procoreId: number }> {
  const salesforceId = await people.createInSalesforce(fields);
  ledger.record(salesforceId, 'salesforceCreate', fields, at);
  const procoreId = await createProcoreProject({ ...toProcore(projectMapping, fields), origin_id: salesforceId });
  await got.patch(`${salesforce.url}/sandbox/ui/Project__c/${salesforceId}`, {
    json: { Procore_ID__c: String(procoreId) },
  });
  return { salesforceId, procoreId };
}

async function createProcoreProject(body: Record<string, unknown>): Promise<number> {
  return (await got.post(`${procore.url}/sandbox/ui/projects`, { json: body }).json<{ id: number }>()).id;
}

it('passes linked pairs that hold the same values, the last edits', async () => {
  const ledger = new Ledger();
  await linkedPair(ledger, values.full());
  const { salesforceId, procoreId } = await linkedPair(ledger, values.full());
  const city = values.make(projectMapping.fields.find((f) => f.name === 'city')!);
  await people.edit('procoreConsole', { salesforceId, procoreId }, { city });
  await people.edit('salesforceConsole', { salesforceId }, { city });
  ledger.record(salesforceId, 'procoreConsole', { city }, Date.now());

  const result = await compareSystems(salesforce.url, procore.url, ledger);
  expect(result).toMatchObject({
    pairsCompared: 2,
    diverged: [],
    duplicates: [],
    unlinked: [],
    orphanProcoreProjects: [],
    lostEdits: [],
  });
});

it('reports a diverged field, a duplicate project, an unlinked record and a lost edit of a unique value', async () => {
  const ledger = new Ledger();
  const diverged = await linkedPair(ledger, values.full());
  await people.edit('procoreConsole', diverged, { city: 'Elsewhere' });

  const duplicated = await linkedPair(ledger, values.full());
  // Procore refuses a second project with the same origin_id; a short (15-character) id slips through.
  const extra = await createProcoreProject({ name: 'Second copy', origin_id: duplicated.salesforceId.slice(0, 15) });

  const unlinked = await people.createInSalesforce(values.full());

  const lost = await linkedPair(ledger, values.full(), Date.now() - 10 * CONFLICT_WINDOW_MS);
  ledger.record(lost.salesforceId, 'salesforceApi', { city: 'Edit nobody kept' }, Date.now());
  // A pick from a few values may repeat what the field held, which no system records as a change: never called lost.
  const stage = (await got(`${salesforce.url}/sandbox/records`).json<Array<{ Id: string; Stage__c: string }>>()).find(
    (r) => r.Id === lost.salesforceId,
  )!.Stage__c;
  const otherStage = stage === 'Completed' ? 'Canceled' : 'Completed';
  ledger.record(lost.salesforceId, 'procoreConsole', { stage: otherStage }, Date.now());

  const result = await compareSystems(salesforce.url, procore.url, ledger);
  expect(result.pairsCompared).toBe(3);
  expect(result.diverged).toEqual([
    expect.objectContaining({
      salesforceId: diverged.salesforceId,
      procoreId: diverged.procoreId,
      fields: [expect.objectContaining({ field: 'city', procore: 'Elsewhere' })],
    }),
  ]);
  expect(result.duplicates).toEqual([
    { salesforceId: duplicated.salesforceId, procoreIds: expect.arrayContaining([duplicated.procoreId, extra]) },
  ]);
  expect(result.orphanProcoreProjects).toEqual([extra]);
  expect(result.unlinked).toEqual([{ salesforceId: unlinked, why: 'no Procore_ID__c' }]);
  expect(result.lostEdits).toEqual([
    expect.objectContaining({ salesforceId: lost.salesforceId, field: 'city', acceptable: ['Edit nobody kept'] }),
  ]);
});

it('accepts either side of a same-field conflict, and only the last edit otherwise', () => {
  const ledger = new Ledger();
  const t = Date.now();
  ledger.record('a', 'salesforceConsole', { city: 'old' }, t);
  ledger.record('a', 'salesforceConsole', { city: 'sf' }, t + 100);
  ledger.record('a', 'procoreConsole', { city: 'pc' }, t + 900);
  expect(ledger.acceptable('a', 'city')).toEqual(['sf', 'pc']);
  ledger.record('a', 'salesforceApi', { city: 'last' }, t + 900 + CONFLICT_WINDOW_MS + 1);
  expect(ledger.acceptable('a', 'city')).toEqual(['last']);
  expect(ledger.acceptable('a', 'name')).toBeUndefined();
  expect(ledger.edits).toBe(4);
});

it('lets an edit lose only to an other-side edit certainly committed more than the conflict window later', () => {
  // Salesforce answered at t; Procore's edit is committed between its send and its answer. Whole-second stamps and
  // `latest`'s 2 s tolerance let Salesforce win up to 3 s (a soak's finding: P-119 kept over P-131 sent 2.4 s later).
  expect(CONFLICT_WINDOW_MS).toBe(3000);
  const ledger = new Ledger();
  const t = Date.now();
  ledger.record('a', 'salesforceConsole', { projectNumber: 'P-119' }, t, t - 50);
  ledger.record('a', 'procoreConsole', { projectNumber: 'P-131' }, t + 2450, t + 2400);
  expect(ledger.acceptable('a', 'projectNumber')).toEqual(['P-119', 'P-131']);
  ledger.record('b', 'salesforceConsole', { projectNumber: 'P-1' }, t, t - 50);
  ledger.record(
    'b',
    'procoreConsole',
    { projectNumber: 'P-2' },
    t + CONFLICT_WINDOW_MS + 150,
    t + CONFLICT_WINDOW_MS + 1,
  );
  expect(ledger.acceptable('b', 'projectNumber')).toEqual(['P-2']);
  // A slow answer widens the span in which the edit may have been committed.
  ledger.record('c', 'procoreConsole', { projectNumber: 'P-3' }, t + 2000, t);
  ledger.record('c', 'salesforceApi', { projectNumber: 'P-4' }, t + 5500, t + 4900);
  expect(ledger.acceptable('c', 'projectNumber')).toEqual(['P-4', 'P-3']);
});

it('lists apart a lost edit of a conflict whose news a fault delayed, and fails it without such a fault', async () => {
  const ledger = new Ledger();
  const t = Date.now() - 60_000;
  const startDate = '2030-01-02';
  const pair = await linkedPair(ledger, { ...values.full(), startDate }, t - 10_000);
  // A Salesforce edit kept over a Procore edit made 5.6 s later (a soak's finding: start date, CDC worker killed).
  ledger.record(pair.salesforceId, 'salesforceApi', { startDate }, t);
  ledger.record(pair.salesforceId, 'procoreConsole', { startDate: '2028-11-13' }, t + 5600, t + 5550);

  const faulted = await compareSystems(salesforce.url, procore.url, ledger, [
    { kind: 'killCdc', from: t - 2400, to: t + 2500 },
  ]);
  expect(faulted.lostEdits).toEqual([]);
  expect(faulted.lostEditsAfterLateNews).toEqual([
    expect.objectContaining({ field: 'startDate', value: startDate, lateNews: "killCdc around salesforceApi's edit" }),
  ]);

  const calm = await compareSystems(salesforce.url, procore.url, ledger, [
    { kind: 'procore5xx', from: t - 2400, to: t + 2500 },
  ]);
  expect(calm.lostEditsAfterLateNews).toEqual([]);
  expect(calm.lostEdits).toEqual([expect.objectContaining({ field: 'startDate', acceptable: ['2028-11-13'] })]);
});

/** One answered API read of the project, as Tandem's read or compare-then-write makes it; when it was answered. */
async function readByApi(procoreId: number): Promise<number> {
  await procoreProject({ procoreUrl: procore.url } as RunningSystem, procoreId);
  return Date.now();
}

it('lists apart a Salesforce edit that won between two Procore edits of the field read together, and fails it when a read fell between them', async () => {
  const ledger = new Ledger();
  const t = Date.now() - 120_000;
  const description = 'description 74';
  const pair = await linkedPair(ledger, { ...values.full(), description }, t - 30_000);
  // The CI soak's case: Procore 73, Salesforce 74 74 ms later, Procore 98 5.9 s later; both sides ended on 74.
  ledger.record(pair.salesforceId, 'procoreConsole', { description: 'description 73' }, t);
  ledger.record(pair.salesforceId, 'salesforceConsole', { description }, t + 74);
  ledger.record(pair.salesforceId, 'procoreConsole', { description: 'description 98' }, t + 5929);
  const together = await compareSystems(salesforce.url, procore.url, ledger);
  expect(together.lostEdits).toEqual([]);
  expect(together.lostEditsAfterLateNews).toEqual([
    expect.objectContaining({
      field: 'description',
      value: description,
      lateNews: expect.stringMatching(/read together/),
    }),
  ]);

  // Tandem read the project between the two Procore edits: the later one was dated by itself, so losing is a loss.
  const apart = new Ledger();
  const other = await linkedPair(apart, { ...values.full(), description }, t - 30_000);
  const read = await readByApi(other.procoreId);
  apart.record(other.salesforceId, 'procoreConsole', { description: 'description 73' }, read - 1000, read - 1050);
  apart.record(other.salesforceId, 'salesforceConsole', { description }, read - 926, read - 960);
  apart.record(other.salesforceId, 'procoreConsole', { description: 'description 98' }, read + 5000, read + 4950);
  const far = await compareSystems(salesforce.url, procore.url, apart);
  expect(far.lostEditsAfterLateNews).toEqual([]);
  expect(far.lostEdits).toEqual([expect.objectContaining({ field: 'description', acceptable: ['description 98'] })]);
});

it('parts two Procore edits only by a read whose answer reached the sync: one lost with its worker told it nothing', async () => {
  const t = Date.now();
  const description = 'description 74';
  const edits = async (ledger: Ledger) => {
    const pair = await linkedPair(ledger, { ...values.full(), description }, t - 30_000);
    const read = await readByApi(pair.procoreId);
    ledger.record(pair.salesforceId, 'procoreConsole', { description: 'description 73' }, read - 1000, read - 1050);
    ledger.record(pair.salesforceId, 'salesforceConsole', { description }, read - 926, read - 960);
    ledger.record(pair.salesforceId, 'procoreConsole', { description: 'description 98' }, read + 5000, read + 4950);
    return read;
  };
  // The sync's history shows no read of the project answered between the two Procore edits: they were read together.
  const lostRead = new Ledger();
  await edits(lostRead);
  const lostAnswer = await compareSystems(salesforce.url, procore.url, lostRead, [], async () => []);
  expect(lostAnswer.lostEdits).toEqual([]);
  expect(lostAnswer.lostEditsAfterLateNews).toEqual([
    expect.objectContaining({ field: 'description', lateNews: expect.stringMatching(/never reached the sync/) }),
  ]);

  // The same read, answered to the sync (its activity completed around it): the later edit was dated by itself.
  const answeredRead = new Ledger();
  const read = await edits(answeredRead);
  const answered = async () => [{ from: read - 500, to: read + 50 }];
  const seen = await compareSystems(salesforce.url, procore.url, answeredRead, [], answered);
  expect(seen.lostEditsAfterLateNews).toEqual([]);
  expect(seen.lostEdits).toEqual([expect.objectContaining({ field: 'description', acceptable: ['description 98'] })]);
});

it("counts a Procore edit of another field as read together too: the 10-minute soak's case across a worker restart", async () => {
  // Seed 4242: Salesforce P-2815 at :46, a Procore edit of other fields at :48, Procore P-2870 at :00 while the worker
  // was down (no read between); Tandem dated P-2870 by :48, within the tolerance, and Salesforce's value stood.
  const projectNumber = 'P-2815';
  // The other field's edit sets the value both sides hold: only projectNumber is in question.
  const fields: CanonicalFields = { ...values.full(), projectNumber };
  const stateCode = fields.stateCode;
  const together = new Ledger();
  const pair = await linkedPair(together, fields, Date.now() - 60_000);
  const t = Date.now() + 1000;
  together.record(pair.salesforceId, 'salesforceConsole', { projectNumber }, t, t - 40);
  together.record(pair.salesforceId, 'procoreConsole', { stateCode }, t + 2300, t + 2250);
  together.record(pair.salesforceId, 'procoreConsole', { projectNumber: 'P-2870' }, t + 14_200, t + 14_150);
  const result = await compareSystems(salesforce.url, procore.url, together);
  expect(result.lostEdits).toEqual([]);
  expect(result.lostEditsAfterLateNews).toEqual([
    expect.objectContaining({ field: 'projectNumber', lateNews: expect.stringMatching(/read together/) }),
  ]);

  // The same edits with the other field's Procore edit more than the conflict window after Salesforce's: dated by
  // it, P-2870 was certainly later, so Salesforce winning is a loss.
  const late = new Ledger();
  const other = await linkedPair(late, fields, Date.now() - 60_000);
  late.record(other.salesforceId, 'salesforceConsole', { projectNumber }, t, t - 40);
  late.record(
    other.salesforceId,
    'procoreConsole',
    { stateCode },
    t + CONFLICT_WINDOW_MS + 1000,
    t + CONFLICT_WINDOW_MS + 950,
  );
  late.record(other.salesforceId, 'procoreConsole', { projectNumber: 'P-2870' }, t + 14_200, t + 14_150);
  const lost = await compareSystems(salesforce.url, procore.url, late);
  expect(lost.lostEditsAfterLateNews).toEqual([]);
  expect(lost.lostEdits).toEqual([expect.objectContaining({ field: 'projectNumber', acceptable: ['P-2870'] })]);
});

it('under salesforce-wins keeps the last Salesforce edit over a later Procore one, and still sees a lost one', async () => {
  const ledger = new Ledger();
  const at = Date.now() - 20 * CONFLICT_WINDOW_MS;
  const pair = await linkedPair(ledger, values.full(), at);
  // The Procore edit came seconds after the Salesforce one, perhaps before Tandem carried that one across.
  ledger.record(pair.salesforceId, 'salesforceConsole', { city: 'Salesforce city' }, at + CONFLICT_WINDOW_MS);
  ledger.record(pair.salesforceId, 'procoreConsole', { city: 'Later Procore city' }, at + 5 * CONFLICT_WINDOW_MS);
  await people.edit('salesforceConsole', pair, { city: 'Salesforce city' });
  await people.edit('procoreConsole', pair, { city: 'Salesforce city' });

  const latest = await compareSystems(salesforce.url, procore.url, ledger);
  expect(latest.lostEdits).toEqual([expect.objectContaining({ field: 'city', value: 'Salesforce city' })]);
  const salesforceWins = mappingWithPolicy('salesforce-wins');
  const owned = await compareSystems(salesforce.url, procore.url, ledger, [], undefined, salesforceWins);
  expect(owned).toMatchObject({ diverged: [], lostEdits: [] });

  // A value neither side's last edit made is lost under any policy.
  await people.edit('salesforceConsole', pair, { city: 'Nobody typed this' });
  await people.edit('procoreConsole', pair, { city: 'Nobody typed this' });
  const lost = await compareSystems(salesforce.url, procore.url, ledger, [], undefined, salesforceWins);
  expect(lost.lostEdits).toEqual([expect.objectContaining({ field: 'city', value: 'Nobody typed this' })]);
});
