/**
 * The end state, field by field through the mapping: every Salesforce record against the Procore project it is
 * linked to (both links agreeing), plus duplicate Procore projects (one origin_id, several projects), records left
 * unlinked, Procore projects no record links to, and edits lost (an agreed value that no surviving edit made).
 * Reads use the sandboxes' own dumps, which are not API calls, so the comparison does not disturb the figures.
 */
import got from 'got';
import {
  fromProcore,
  fromSalesforce,
  conflictPolicyOf,
  projectMapping,
  type CanonicalFields,
  type CanonicalValue,
  type ProjectMapping,
  type RawFields,
  type Side,
} from '../../../mappings';
import type { ReadSpan } from '../../../sandbox/procore/project-reads';
import type { FaultSpan } from './chaos';
import { sideOf, type Ledger } from './ledger';
import { lateNews } from './late-news';
import { procoreEditReadTogether, type ProjectReadLog } from './read-together';
import { salesforceRows, type SalesforceRow } from './links';
import { sameValue, valuesAreUnique } from './values';

export interface FieldDifference {
  field: string;
  salesforce: CanonicalValue;
  procore: CanonicalValue;
  /** The field's last edits, oldest first. */
  lastEdits: ReturnType<Ledger['history']>;
}

export interface Diverged {
  salesforceId: string;
  procoreId: number;
  fields: FieldDifference[];
  /** The ProjectSync's history about these fields (sync-trail.ts), newest last. */
  trail?: string[];
}

export interface LostEdit {
  salesforceId: string;
  field: string;
  value: CanonicalValue;
  acceptable: CanonicalValue[];
  lastEdits: ReturnType<Ledger['history']>;
  /** The fault that kept the news of one of the conflict's edits from Tandem (late-news.ts), if one did. */
  lateNews?: string;
  /** The ProjectSync's history about this field (sync-trail.ts), newest last. */
  trail?: string[];
}

export interface Comparison {
  pairsCompared: number;
  diverged: Diverged[];
  duplicates: Array<{ salesforceId: string; procoreIds: number[] }>;
  unlinked: Array<{ salesforceId: string; why: string }>;
  /** Procore projects that no Salesforce record names, Tandem's orphans. */
  orphanProcoreProjects: number[];
  lostEdits: LostEdit[];
  /** Lost edits of a conflict decided by read times, because a fault kept an edit's news from Tandem: not failures. */
  lostEditsAfterLateNews: LostEdit[];
}

interface ProcoreRow extends RawFields {
  id: number;
  origin_id: string | null;
}

/** Whether a lost edit can be told on this field: its values must be unique per edit. */
function checkable(name: string, mapping: ProjectMapping): boolean {
  const field = mapping.fields.find((f) => f.name === name);
  return field !== undefined && valuesAreUnique(field);
}

/**
 * The side whose last edit may stand over a later one of the other side: the field's policy names it, and the
 * later edit may have been made before Tandem carried the winning one across (concurrent, whatever the times say).
 */
function winningSide(name: string, mapping: ProjectMapping): Side | undefined {
  const field = mapping.fields.find((f) => f.name === name);
  const policy = field && conflictPolicyOf(mapping, field);
  return policy === 'salesforce-wins' ? 'salesforce' : policy === 'procore-wins' ? 'procore' : undefined;
}

function differences(
  salesforceId: string,
  sf: CanonicalFields,
  pc: CanonicalFields,
  ledger: Ledger,
): FieldDifference[] {
  return projectMapping.fields
    .filter((f) => !sameValue(sf[f.name] ?? null, pc[f.name] ?? null))
    .map((f) => ({
      field: f.name,
      salesforce: sf[f.name] ?? null,
      procore: pc[f.name] ?? null,
      lastEdits: ledger.history(salesforceId, f.name),
    }));
}

/**
 * When a pair's ProjectSync received answers of reads of its Procore project (sync-trail.ts): a read the sandbox
 * answered but whose answer never reached the sync (its worker killed, Temporal restarted) told the sync nothing.
 */
export type AnsweredReads = (salesforceId: string) => Promise<ReadSpan[]>;

interface PairEvidence {
  salesforceId: string;
  ledger: Ledger;
  timeline: FaultSpan[];
  /** Tandem's reads of the pair's Procore project, from the sandbox's log. */
  procoreReads: ReadSpan[];
  answered?: AnsweredReads;
  mapping: ProjectMapping;
}

async function lostEdits(
  agreed: CanonicalFields,
  { salesforceId, ledger, timeline, procoreReads, answered, mapping }: PairEvidence,
): Promise<LostEdit[]> {
  const lost: LostEdit[] = [];
  for (const [field, value] of Object.entries(agreed)) {
    const acceptable = ledger.acceptable(salesforceId, field, winningSide(field, mapping));
    if (!acceptable || !checkable(field, mapping) || acceptable.some((a) => sameValue(a, value))) continue;
    const edit: LostEdit = { salesforceId, field, value, acceptable, lastEdits: ledger.history(salesforceId, field) };
    const edits = ledger.all(salesforceId, field);
    const moments = ledger.procoreMoments(salesforceId);
    let late = conflictNews(edits, value, timeline) ?? procoreEditReadTogether(edits, value, moments, procoreReads);
    if (!late && answered) {
      const windows = await answered(salesforceId);
      const received = procoreReads.filter((r) => windows.some((w) => w.from <= r.from && r.to <= w.to));
      const together = procoreEditReadTogether(edits, value, moments, received);
      if (together) late = `${together}: the reads between them never reached the sync`;
    }
    lost.push(late ? { ...edit, lateNews: late } : edit);
  }
  return lost;
}

/** A fault that delayed the news of the edit that won (the last one that set `value`) or of a side's last edit. */
function conflictNews(
  edits: ReturnType<Ledger['all']>,
  value: CanonicalValue,
  timeline: FaultSpan[],
): string | undefined {
  const involved = [
    edits.filter((e) => sameValue(e.value, value)).at(-1),
    edits.filter((e) => e.side === 'salesforce').at(-1),
    edits.filter((e) => e.side === 'procore').at(-1),
  ];
  for (const e of involved) {
    const late = e && lateNews(sideOf(e.channel), e.at, timeline);
    if (late) return `${late} around ${e.channel}'s edit`;
  }
  return undefined;
}

export async function compareSystems(
  salesforceUrl: string,
  procoreUrl: string,
  ledger: Ledger,
  timeline: FaultSpan[] = [],
  answered?: AnsweredReads,
  /** The mapping Tandem ran with: its conflict policies say which side's edit may stand over a later one. */
  mapping: ProjectMapping = projectMapping,
): Promise<Comparison> {
  const [records, projects, reads] = await Promise.all([
    salesforceRows(salesforceUrl),
    got(`${procoreUrl}/sandbox/ui/projects`).json<ProcoreRow[]>(),
    got(`${procoreUrl}/sandbox/project-reads`).json<ProjectReadLog>(),
  ]);
  const result: Comparison = {
    pairsCompared: 0,
    diverged: [],
    duplicates: [],
    unlinked: [],
    orphanProcoreProjects: [],
    lostEdits: [],
    lostEditsAfterLateNews: [],
  };
  const byId = new Map(projects.map((p) => [p.id, p]));
  const named = new Set<number>();
  for (const record of records) {
    const claimed = projects.filter((p) => claims(p, record.Id)).map((p) => p.id);
    if (claimed.length > 1) result.duplicates.push({ salesforceId: record.Id, procoreIds: claimed });
    const pair = linkedProject(record, byId);
    if (typeof pair === 'string') {
      result.unlinked.push({ salesforceId: record.Id, why: pair });
      continue;
    }
    named.add(pair.id);
    result.pairsCompared += 1;
    const sf = fromSalesforce(projectMapping, record);
    const pc = fromProcore(projectMapping, pair);
    const fields = differences(record.Id, sf, pc, ledger);
    if (fields.length > 0) result.diverged.push({ salesforceId: record.Id, procoreId: pair.id, fields });
    const agreed = Object.fromEntries(Object.entries(sf).filter(([field]) => !fields.some((d) => d.field === field)));
    const evidence = {
      salesforceId: record.Id,
      ledger,
      timeline,
      procoreReads: reads[String(pair.id)] ?? [],
      answered,
      mapping,
    };
    for (const lost of await lostEdits(agreed, evidence))
      (lost.lateNews ? result.lostEditsAfterLateNews : result.lostEdits).push(lost);
  }
  result.orphanProcoreProjects = projects.filter((p) => !named.has(p.id)).map((p) => p.id);
  return result;
}

/** origin_id names the record in its 18-character form or its 15-character one (the case-sensitive prefix). */
function claims(project: ProcoreRow, salesforceId: string): boolean {
  return project.origin_id === salesforceId || project.origin_id === salesforceId.slice(0, 15);
}

/** The Procore project the record's link names, if both links agree; otherwise why not. */
function linkedProject(record: SalesforceRow, byId: Map<number, ProcoreRow>): ProcoreRow | string {
  if (!record.Procore_ID__c) return 'no Procore_ID__c';
  const project = byId.get(Number(record.Procore_ID__c));
  if (!project) return `Procore_ID__c ${record.Procore_ID__c} names no Procore project`;
  if (project.origin_id !== record.Id)
    return `Procore project ${project.id} has origin_id ${project.origin_id ?? 'null'}`;
  return project;
}
