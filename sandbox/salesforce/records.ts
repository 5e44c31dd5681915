/**
 * The record operations every entry point shares (REST, upsert, the console): validation as Salesforce does it,
 * the system fields, the unique index, and exactly one change event per committed change.
 */
import { fullBody, diffBody, type Actor, type ChangeLog, type ChangeType } from './change-events';
import { sfErrors } from './errors';
import { isValidId, normalizeId } from './ids';
import type { ObjectSchema } from './schema';
import type { RecordStore } from './store';
import { nowSeconds, type FieldValue, type RecordData } from './values';

export type UpsertResult =
  | { kind: 'created'; record: RecordData }
  | { kind: 'updated'; record: RecordData }
  | { kind: 'multiple'; ids: string[] };

export class Records {
  /** Records the API user may no longer see (sharing revoked); people in the console still do. Not persisted. */
  private readonly hiddenFromApi = new Set<string>();

  constructor(
    private readonly schema: ObjectSchema,
    private readonly store: RecordStore,
    private readonly changes: ChangeLog,
  ) {}

  /** A record the API can see; deleted ones are ENTITY_IS_DELETED, unknown ones NOT_FOUND. */
  live(id: string): RecordData {
    const record = isValidId(id) ? this.store.get(id) : undefined;
    if (!record) throw sfErrors.NOT_FOUND();
    if (record.IsDeleted === true) throw sfErrors.ENTITY_IS_DELETED();
    return record;
  }

  /**
   * A record as the API user sees it: one whose sharing no longer reaches that user is NOT_FOUND, exactly like a
   * record that does not exist (Salesforce does not reveal records a user cannot see) (inferred).
   */
  visible(id: string): RecordData {
    if (this.hiddenFromApi.has(normalizeId(id))) throw sfErrors.NOT_FOUND();
    return this.live(id);
  }

  /** The API user loses (or regains) access to a record, as when its sharing rule or owner changes. */
  setApiAccess(id: string, visible: boolean): void {
    const full = String(this.live(id).Id);
    if (visible) this.hiddenFromApi.delete(full);
    else this.hiddenFromApi.add(full);
  }

  create(input: RecordData, actor: Actor): RecordData {
    const now = nowSeconds().toISOString();
    const system: RecordData = {
      Id: this.store.newId(),
      OwnerId: actor.userId,
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: actor.userId,
      LastModifiedDate: now,
      LastModifiedById: actor.userId,
      SystemModstamp: now,
    };
    const record: RecordData = {};
    for (const field of this.schema.fields) {
      const given = field.name in input ? input[field.name] : undefined;
      record[field.name] = system[field.name] ?? given ?? this.defaultOf(field.name);
    }
    this.checkRecord(record);
    return this.commit('CREATE', record, record, actor);
  }

  update(id: string, input: RecordData, actor: Actor): RecordData {
    const before = this.live(id);
    const now = nowSeconds().toISOString();
    const after: RecordData = {
      ...before,
      ...input,
      LastModifiedDate: now,
      LastModifiedById: actor.userId,
      SystemModstamp: now,
    };
    this.checkRecord(after);
    return this.commit('UPDATE', before, after, actor);
  }

  delete(id: string, actor: Actor): RecordData {
    const before = this.live(id);
    const now = nowSeconds().toISOString();
    const after: RecordData = {
      ...before,
      IsDeleted: true,
      LastModifiedDate: now,
      LastModifiedById: actor.userId,
      SystemModstamp: now,
    };
    return this.commit('DELETE', before, after, actor);
  }

  undelete(id: string, actor: Actor): RecordData {
    const before = isValidId(id) ? this.store.get(id) : undefined;
    if (!before) throw sfErrors.NOT_FOUND();
    if (before.IsDeleted !== true) throw sfErrors.UNDELETE_FAILED();
    const now = nowSeconds().toISOString();
    const after: RecordData = { ...before, IsDeleted: false, SystemModstamp: now };
    this.checkUnique(after);
    return this.commit('UNDELETE', before, after, actor);
  }

  /** Upsert by an external id field: created, updated, or several matches (HTTP 300). */
  upsert(fieldName: string, value: string, input: RecordData, actor: Actor, updateOnly = false): UpsertResult {
    const field = this.schema.field(fieldName);
    if (!field?.externalId) throw sfErrors.EXTERNAL_ID_NOT_FOUND(fieldName);
    const given = input[field.name];
    if (given !== undefined && given !== value) throw sfErrors.INVALID_FIELD_FOR_INSERT_UPDATE(field.name);
    const matches = this.store.findBy(field.name, value);
    if (matches.length > 1) return { kind: 'multiple', ids: matches.map((r) => String(r.Id)) };
    const [match] = matches;
    if (match) return { kind: 'updated', record: this.update(String(match.Id), input, actor) };
    if (updateOnly) throw sfErrors.NOT_FOUND();
    return { kind: 'created', record: this.create({ ...input, [field.name]: value }, actor) };
  }

  private defaultOf(name: string): FieldValue {
    const field = this.schema.field(name);
    if (field?.defaultValue !== undefined) return field.defaultValue;
    return field?.type === 'boolean' ? false : null;
  }

  private checkRecord(record: RecordData): void {
    const missing = this.schema.fields.filter(
      (f) => f.required && (record[f.name] === null || record[f.name] === undefined),
    );
    if (missing.length > 0) throw sfErrors.REQUIRED_FIELD_MISSING(missing.map((f) => f.name).join(', '));
    this.checkUnique(record);
  }

  private checkUnique(record: RecordData): void {
    for (const field of this.schema.fields) {
      const value = record[field.name];
      if (!field.unique || value === null || value === undefined) continue;
      const other = this.store.findBy(field.name, value).find((r) => r.Id !== record.Id);
      if (other) throw sfErrors.DUPLICATE_VALUE(field.name, String(other.Id));
    }
  }

  private commit(changeType: ChangeType, before: RecordData, after: RecordData, actor: Actor): RecordData {
    this.store.put(after);
    const diff =
      changeType === 'UPDATE'
        ? diffBody(before, after, this.schema)
        : { fields: fullBody(this.schema, after), changed: [] };
    this.changes.publish({
      changeType,
      recordIds: [String(after.Id)],
      fields: diff.fields,
      changedFields: diff.changed,
      actor,
      commitTimestamp: Date.parse(String(after.SystemModstamp)),
    });
    return after;
  }
}
