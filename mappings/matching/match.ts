/**
 * Matching two whole systems before a sync starts: first by the link fields (`Procore_ID__c`, `origin_id`), then by
 * the operator's match key, exact after normalising. A key that does not name exactly one record on each side is
 * ambiguous: reported, never guessed. Pure: the same inputs give the same plan.
 */
import type { ProjectMapping } from '../types';
import { canonicalValue, differencesOf } from './differences';
import { normaliseKey } from './normalise';
import type { BackfillPlan, PairToLink, ProcoreCandidate, SalesforceCandidate } from './types';

export interface MatchInput {
  mapping: ProjectMapping;
  /** Canonical name of the mapped field to match on, e.g. `projectNumber`. */
  matchKey: string;
  salesforce: SalesforceCandidate[];
  procore: ProcoreCandidate[];
}

function emptyPlan(input: MatchInput): BackfillPlan {
  return {
    matchKey: input.matchKey,
    linked: [],
    toLink: [],
    toCreateInProcore: [],
    toCreateInSalesforce: [],
    ambiguous: [],
    conflictingLinks: [],
    linkedToDeleted: [],
    counts: {
      salesforce: input.salesforce.filter((r) => !r.deleted).length,
      salesforceDeleted: input.salesforce.filter((r) => r.deleted).length,
      procore: input.procore.length,
      procoreInactive: input.procore.filter((p) => !p.active).length,
    },
  };
}

class Matcher {
  readonly plan: BackfillPlan;
  private readonly salesforceById: Map<string, SalesforceCandidate>;
  private readonly procoreById: Map<string, ProcoreCandidate>;
  /** Records whose link is settled (linked, to link, or contradicted): no longer free for key matching. */
  private readonly takenSalesforce = new Set<string>();
  private readonly takenProcore = new Set<string>();

  constructor(private readonly input: MatchInput) {
    this.plan = emptyPlan(input);
    this.salesforceById = new Map(input.salesforce.map((r) => [r.id, r]));
    this.procoreById = new Map(input.procore.map((p) => [p.id, p]));
  }

  pair(salesforce: SalesforceCandidate, procore: ProcoreCandidate, by: PairToLink['by'], key: string | null): void {
    this.takenSalesforce.add(salesforce.id);
    this.takenProcore.add(procore.id);
    const writeSalesforceLink = salesforce.procoreId !== procore.id;
    const writeProcoreLink = procore.originId !== salesforce.id;
    if (!writeSalesforceLink && !writeProcoreLink) {
      this.plan.linked.push({ salesforceId: salesforce.id, procoreId: procore.id });
      return;
    }
    this.plan.toLink.push({
      salesforceId: salesforce.id,
      procoreId: procore.id,
      by,
      key,
      writeSalesforceLink,
      writeProcoreLink,
      salesforceModifiedAt: salesforce.modifiedAt,
      procoreModifiedAt: procore.modifiedAt,
      differences: differencesOf(this.input.mapping, salesforce, procore),
    });
  }

  problem(salesforceId: string | null, procoreId: string | null, reason: string): void {
    if (salesforceId) this.takenSalesforce.add(salesforceId);
    if (procoreId) this.takenProcore.add(procoreId);
    this.plan.conflictingLinks.push({ salesforceId, procoreId, reason });
  }

  bySalesforceLinks(): void {
    for (const record of this.input.salesforce) {
      if (record.deleted || !record.procoreId) continue;
      const project = this.procoreById.get(record.procoreId);
      if (!project) this.problem(record.id, null, `Procore_ID__c ${record.procoreId} names no Procore project`);
      else if (project.originId && project.originId !== record.id)
        this.problem(record.id, project.id, `Procore project's origin_id is ${project.originId}, not this record`);
      else this.pair(record, project, 'salesforce-link', null);
    }
  }

  byProcoreLinks(): void {
    for (const project of this.input.procore) {
      if (!project.originId || this.takenProcore.has(project.id)) continue;
      const record = this.salesforceById.get(project.originId);
      if (record?.deleted) {
        this.takenProcore.add(project.id);
        this.plan.linkedToDeleted.push({ salesforceId: record.id, procoreId: project.id });
      } else if (!record) this.problem(null, project.id, `origin_id ${project.originId} names no Salesforce record`);
      else if (record.procoreId && record.procoreId !== project.id)
        this.problem(record.id, project.id, `Salesforce record's Procore_ID__c is ${record.procoreId}`);
      else this.pair(record, project, 'procore-link', null);
    }
  }

  byKey(): void {
    const { mapping, matchKey } = this.input;
    const groups = new Map<string, { salesforce: SalesforceCandidate[]; procore: ProcoreCandidate[] }>();
    const group = (key: string) => groups.get(key) ?? groups.set(key, { salesforce: [], procore: [] }).get(key)!;
    const live = this.input.salesforce.filter((r) => !r.deleted);
    const keyOf = new Map<string, string | null>();
    for (const record of live) {
      const key = normaliseKey(canonicalValue(mapping, matchKey, 'salesforce', record.fields));
      keyOf.set(`s${record.id}`, key);
      if (key) group(key).salesforce.push(record);
    }
    for (const project of this.input.procore) {
      const key = normaliseKey(canonicalValue(mapping, matchKey, 'procore', project.fields));
      keyOf.set(`p${project.id}`, key);
      if (key) group(key).procore.push(project);
    }
    for (const record of live) {
      if (!this.takenSalesforce.has(record.id) && !keyOf.get(`s${record.id}`))
        this.plan.toCreateInProcore.push({ salesforceId: record.id, key: null });
    }
    for (const project of this.input.procore) {
      if (!this.takenProcore.has(project.id) && !keyOf.get(`p${project.id}`))
        this.plan.toCreateInSalesforce.push({ procoreId: project.id, key: null, active: project.active });
    }
    for (const [key, members] of groups) this.matchGroup(key, members.salesforce, members.procore);
  }

  private matchGroup(key: string, salesforce: SalesforceCandidate[], procore: ProcoreCandidate[]): void {
    const freeSalesforce = salesforce.filter((r) => !this.takenSalesforce.has(r.id));
    const freeProcore = procore.filter((p) => !this.takenProcore.has(p.id));
    if (freeSalesforce.length === 0 && freeProcore.length === 0) return;
    const [onlySalesforce] = freeSalesforce;
    const [onlyProcore] = freeProcore;
    if (salesforce.length === 1 && procore.length === 1 && onlySalesforce && onlyProcore)
      return this.pair(onlySalesforce, onlyProcore, 'match-key', key);
    if (procore.length === 0) {
      for (const r of freeSalesforce) this.plan.toCreateInProcore.push({ salesforceId: r.id, key });
      return;
    }
    if (salesforce.length === 0) {
      for (const p of freeProcore) this.plan.toCreateInSalesforce.push({ procoreId: p.id, key, active: p.active });
      return;
    }
    for (const r of freeSalesforce) this.takenSalesforce.add(r.id);
    for (const p of freeProcore) this.takenProcore.add(p.id);
    this.plan.ambiguous.push({
      key,
      salesforceIds: salesforce.map((r) => r.id),
      procoreIds: procore.map((p) => p.id),
      reason:
        `${salesforce.length} Salesforce record(s) and ${procore.length} Procore project(s) share this key` +
        (freeSalesforce.length + freeProcore.length < salesforce.length + procore.length
          ? ', some already linked'
          : ''),
    });
  }
}

export function matchRecords(input: MatchInput): BackfillPlan {
  if (!input.mapping.fields.some((f) => f.name === input.matchKey))
    throw new Error(`match key '${input.matchKey}' is not a field of the mapping`);
  const matcher = new Matcher(input);
  matcher.bySalesforceLinks();
  matcher.byProcoreLinks();
  matcher.byKey();
  return matcher.plan;
}

/** Whether running the plan would change anything (Salesforce records for Procore-only projects aside). */
export function planHasWork(plan: BackfillPlan): boolean {
  return plan.toLink.length > 0 || plan.toCreateInProcore.length > 0;
}
