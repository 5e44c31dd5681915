/**
 * Change Data Capture events: building them as Salesforce sends them over CometD (envelope, ChangeEventHeader,
 * body fields), numbering them with increasing replayIds, retaining them for the retention window and answering
 * "what comes after replayId N" for replay.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { newTransactionKey } from './ids';
import type { ObjectSchema } from './schema';
import type { FieldValue, RecordData } from './values';

export const GAP_CHANGE_TYPES = ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW'] as const;
export const RECORD_CHANGE_TYPES = ['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'] as const;
export type ChangeType = (typeof RECORD_CHANGE_TYPES)[number] | (typeof GAP_CHANGE_TYPES)[number];

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
}

/** What subscribers receive as `message.data` (faye hands listeners only the data). */
export interface ChangeEventData {
  schema: string;
  payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
  event: { replayId: number };
}

/** Who committed a change and through what: `changeOrigin` as the header shows it. */
export interface Actor {
  userId: string;
  changeOrigin: string;
}

/** A committed change before it becomes an event. */
export interface Change {
  changeType: ChangeType;
  recordIds: string[];
  /** Body fields (canonical names); ignored for DELETE and gap events. */
  fields: Record<string, FieldValue>;
  changedFields: string[];
  actor: Actor;
  /** Epoch ms of the commit. */
  commitTimestamp: number;
}

const storedEvent = z.object({
  publishedAt: z.number(),
  data: z.custom<ChangeEventData>((v) => typeof v === 'object' && v !== null),
});
type StoredEvent = z.infer<typeof storedEvent>;
const changeLogState = z.object({
  lastReplayId: z.number().int(),
  commitNumber: z.number().int(),
  events: z.array(storedEvent),
});

/** Fields never carried in change events. */
const NEVER_IN_EVENTS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

/** Body fields of a CREATE or UNDELETE: every non-empty field of the record. */
export function fullBody(schema: ObjectSchema, record: RecordData): Record<string, FieldValue> {
  const body: Record<string, FieldValue> = {};
  for (const field of schema.fields) {
    const value = record[field.name];
    if (NEVER_IN_EVENTS.has(field.name) || value === null || value === undefined) continue;
    body[field.name] = value;
  }
  return body;
}

/** Body fields of an UPDATE: the changed fields with their new values, nulls kept explicit. */
export function diffBody(
  before: RecordData,
  after: RecordData,
  schema: ObjectSchema,
): { fields: Record<string, FieldValue>; changed: string[] } {
  const fields: Record<string, FieldValue> = {};
  const changed: string[] = [];
  for (const field of schema.fields) {
    const name = field.name;
    if (NEVER_IN_EVENTS.has(name)) continue;
    const mustCarry = name === 'LastModifiedDate';
    if (!mustCarry && before[name] === after[name]) continue;
    fields[name] = after[name] ?? null;
    changed.push(name);
  }
  return { fields, changed };
}

export class ChangeLog {
  private events: StoredEvent[] = [];
  private lastReplayId = 0;
  private commitNumber = 0;
  private readonly listeners = new Set<(data: ChangeEventData) => void>();
  readonly schemaId: string;

  constructor(
    private readonly schema: ObjectSchema,
    private readonly retentionMs: number,
  ) {
    // The Avro schema id changes with the object's schema; a hash of the field list behaves the same way.
    this.schemaId = createHash('sha256').update(JSON.stringify(schema.fields)).digest('base64url').slice(0, 22);
  }

  onEvent(listener: (data: ChangeEventData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Turns a committed change into the next event, retains it and hands it to the listeners. */
  publish(change: Change): ChangeEventData {
    const header: ChangeEventHeader = {
      entityName: this.schema.name,
      recordIds: change.recordIds,
      changeType: change.changeType,
      changeOrigin: change.actor.changeOrigin,
      transactionKey: newTransactionKey(),
      sequenceNumber: 1,
      commitTimestamp: change.commitTimestamp,
      commitNumber: ++this.commitNumber,
      commitUser: change.actor.userId,
      changedFields: change.changeType === 'UPDATE' ? change.changedFields : [],
    };
    const carriesFields =
      change.changeType === 'CREATE' || change.changeType === 'UPDATE' || change.changeType === 'UNDELETE';
    const data: ChangeEventData = {
      schema: this.schemaId,
      payload: { ChangeEventHeader: header, ...(carriesFields ? change.fields : {}) },
      event: { replayId: ++this.lastReplayId },
    };
    this.events.push({ publishedAt: Date.now(), data });
    this.purge();
    for (const listener of this.listeners) listener(data);
    return data;
  }

  /**
   * The retained events a subscriber replaying from `replayFrom` gets: -1 none, -2 all retained, N those after N.
   * Undefined when N is neither a retained event nor the latest id, which Salesforce rejects as invalid.
   */
  eventsAfter(replayFrom: number): ChangeEventData[] | undefined {
    this.purge();
    if (replayFrom === -1) return [];
    if (replayFrom === -2) return this.events.map((e) => e.data);
    const known = replayFrom === this.lastReplayId || this.events.some((e) => e.data.event.replayId === replayFrom);
    if (!known) return undefined;
    return this.events.filter((e) => e.data.event.replayId > replayFrom).map((e) => e.data);
  }

  /** The replayId of the newest event published (0 before the first). */
  get newestReplayId(): number {
    return this.lastReplayId;
  }

  retained(): ChangeEventData[] {
    this.purge();
    return this.events.map((e) => e.data);
  }

  /** As if the retention window had passed for every event so far (a subscriber down longer than 72 hours). */
  expireAll(): number {
    const expired = this.events.length;
    this.events = [];
    return expired;
  }

  private purge(): void {
    const cutoff = Date.now() - this.retentionMs;
    const firstKept = this.events.findIndex((e) => e.publishedAt >= cutoff);
    if (firstKept === 0) return;
    this.events = firstKept < 0 ? [] : this.events.slice(firstKept);
  }

  toJSON(): z.infer<typeof changeLogState> {
    return { lastReplayId: this.lastReplayId, commitNumber: this.commitNumber, events: this.events };
  }

  load(raw: unknown): void {
    const state = changeLogState.parse(raw);
    this.events = state.events;
    this.lastReplayId = state.lastReplayId;
    this.commitNumber = state.commitNumber;
    this.purge();
  }
}
