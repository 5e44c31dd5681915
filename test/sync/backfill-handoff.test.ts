/**
 * The backfill hands a new ProjectSync its Procore project as the link write left it, which the sync's first batch
 * takes as its Procore read. Scripted on the simulated systems with ProjectSync's own batch code: a value handed
 * over is never taken as newer than a later edit, and never replaces a newer view.
 */
import { Sim, violations } from './sim/harness';
import { simMapping } from './sim/world';

const START = Date.parse('2026-11-30T09:00:00.100Z');

function sim(start: 'linked' | 'backfill'): Sim {
  return new Sim(simMapping('latest'), START, { salesforce: 0, procore: 0 }, start);
}

/** Runs the operations in flight and the batches queued, in order, and names each operation once. */
async function runBatches(s: Sim): Promise<string[]> {
  const labels: string[] = [];
  for (;;) {
    if (s.operation) {
      labels.push(s.operation.label);
      await s.complete();
    } else if (s.canTakeBatch()) await s.takeBatch();
    else return labels;
  }
}

describe('a sync handed its Procore project by the backfill', () => {
  it('takes it as its first read: one Salesforce read, no Procore read, nothing to write', async () => {
    const s = sim('backfill');
    expect(await runBatches(s)).toEqual(['read salesforce']);
    expect(s.model.state.link.procoreProjectId).not.toBeNull();
    expect(s.rules.seen('procore')?.values.city).toBe('init-city');
    expect(violations(s)).toEqual([]);
  });

  it('reads Procore instead when the first batch also holds a Procore edit: the edit wins', async () => {
    const s = sim('backfill');
    s.world.personEdit('procore', 'city');
    await s.deliver('procore');
    expect(await runBatches(s)).toContain('read procore');
    await s.drain();
    expect(s.world.salesforce.values().city).toBe('p1');
    expect(violations(s)).toEqual([]);
  });

  it('a Procore edit made after the handed read but seen after the first batch wins when its webhook comes', async () => {
    const s = sim('backfill');
    await s.takeBatch();
    s.world.personEdit('procore', 'city');
    await runBatches(s);
    await s.drain();
    expect(s.world.salesforce.values().city).toBe('p1');
    expect(violations(s)).toEqual([]);
  });

  it('a Salesforce edit after the handoff wins over the older handed value', async () => {
    const s = sim('backfill');
    s.advance(3000);
    s.world.personEdit('salesforce', 'city');
    await s.deliver('salesforce');
    await s.drain();
    expect(s.world.procore.values().city).toBe('s1');
    expect(violations(s)).toEqual([]);
  });

  it('never replaces a newer view: a sync that has seen Procore reads it again', async () => {
    const s = sim('linked');
    const old = s.world.readProcore();
    s.advance(1500);
    s.world.personEdit('procore', 'city');
    await s.deliver('procore');
    await s.drain();
    s.model.enqueue({ kind: 'resync', request: { reason: 'backfill: link', procore: old } });
    expect(await runBatches(s)).toEqual(['read salesforce', 'read procore']);
    await s.drain();
    expect(s.world.salesforce.values().city).toBe('p1');
    expect(s.rules.seen('procore')?.values.city).toBe('p1');
    expect(violations(s)).toEqual([]);
  });

  it('a sync that already read the handed state (the echo of the Salesforce link came first) reads Procore no more', async () => {
    const s = sim('linked');
    s.model.enqueue({ kind: 'resync', request: { reason: 'backfill: link', procore: s.world.readProcore() } });
    expect(await runBatches(s)).toEqual(['read salesforce']);
    expect(violations(s)).toEqual([]);
  });
});
