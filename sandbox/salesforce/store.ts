/**
 * The records of the sandbox org, in memory, and the optional state file that keeps them (with the retained
 * change events) across restarts. Writes are coalesced and atomic: a temp file renamed over the old one, so a
 * crash mid-write never leaves a half-written state behind.
 */
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from 'pino';
import { makeId, normalizeId } from './ids';
import type { FieldValue, RecordData } from './values';

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const recordsState = z.object({
  nextRecordNumber: z.number().int().positive(),
  records: z.array(z.record(z.string(), fieldValue)),
});
export type RecordsState = z.infer<typeof recordsState>;

export class RecordStore {
  private readonly records = new Map<string, RecordData>();
  private nextRecordNumber = 1;

  constructor(private readonly keyPrefix: string) {}

  newId(): string {
    return makeId(this.keyPrefix, this.nextRecordNumber++);
  }

  /** Any record, deleted ones included; accepts 15- and 18-character ids. */
  get(id: string): RecordData | undefined {
    return this.records.get(normalizeId(id));
  }

  put(record: RecordData): void {
    this.records.set(String(record.Id), record);
  }

  all(includeDeleted = false): RecordData[] {
    const all = [...this.records.values()];
    return includeDeleted ? all : all.filter((r) => r.IsDeleted !== true);
  }

  /** Live records whose `field` equals `value`; external ids match case-sensitively (unique, case-sensitive field). */
  findBy(field: string, value: FieldValue): RecordData[] {
    return this.all().filter((r) => r[field] === value);
  }

  toJSON(): RecordsState {
    return { nextRecordNumber: this.nextRecordNumber, records: [...this.records.values()] };
  }

  load(raw: unknown): void {
    const state = recordsState.parse(raw);
    this.records.clear();
    for (const record of state.records) this.put(record);
    this.nextRecordNumber = state.nextRecordNumber;
  }
}

/** One part of the persisted state: it can say what to save and take back what was saved. */
export interface Persistable {
  toJSON(): unknown;
  load(raw: unknown): void;
}

/** The `--data` file: `{ version, <part name>: <part state>, ... }`, written atomically and coalesced. */
export class StateFile {
  private dirty = false;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly parts: Record<string, Persistable>,
    private readonly logger: Logger,
    private readonly delayMs = 50,
  ) {}

  /** Loads the file if it exists; a file that does not parse is an error, not silently an empty org. */
  load(): void {
    if (!existsSync(this.file)) return;
    const raw: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
    const state = z.record(z.string(), z.unknown()).parse(raw);
    for (const [name, part] of Object.entries(this.parts)) {
      if (state[name] !== undefined) part.load(state[name]);
    }
  }

  /** Notes a change; the write happens shortly after, once for a burst of changes. */
  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((err: unknown) => this.logger.error({ err }, 'could not write the sandbox state file'));
    }, this.delayMs);
  }

  /** Writes pending changes now and waits for every write in flight. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private async write(): Promise<void> {
    const state: Record<string, unknown> = { version: 1 };
    for (const [name, part] of Object.entries(this.parts)) state[name] = part.toJSON();
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(state));
    await fs.rename(temp, this.file);
  }
}
