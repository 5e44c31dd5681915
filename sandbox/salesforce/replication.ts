/**
 * The replication API: which records changed, and which were deleted, in a time window ("sObject Get Updated",
 * "sObject Get Deleted" in the REST API guide; `getUpdated()`/`getDeleted()` in the SOAP API guide).
 *
 * - `GET /sobjects/Project__c/updated/?start=&end=` -> `{ids: [...], latestDateCovered}`; a record counts as updated
 *   by its `SystemModstamp` (created, edited or undeleted in the window); deleted records are not listed.
 * - `GET /sobjects/Project__c/deleted/?start=&end=` -> `{deletedRecords: [{id, deletedDate}], earliestDateAvailable,
 *   latestDateCovered}`; `deletedDate` is the record's `SystemModstamp` when it was deleted. The sandbox keeps every
 *   deleted row (soft-deleted, with its dates) in its store, and so in its `--data` file: that is its delete log.
 *   An undeleted record leaves the delete log (it is live again and shows in `updated`) (inferred).
 * - Dates are ISO 8601 with an offset (`2013-05-06T00:00:00+00:00`, `Z`, optional milliseconds), URL-encoded; the
 *   API ignores seconds: both ends are truncated to the minute (12:30:15 -> 12:30:00 UTC).
 * - The window covered is [start, latestDateCovered), latestDateCovered being `end`, or the current minute when
 *   `end` is later (changes of the running minute are not yet covered). Using latestDateCovered as the next start
 *   neither skips nor repeats a change. Dates come back as `2013-05-08T21:20:00.000+0000`.
 * - `start` must precede `end` by at least a minute, else 400 `INVALID_REPLICATION_DATE` "startDate must be at least
 *   one minute greater than endDate" (Salesforce's own wording, as clients report it).
 * - Results reach back no more than 30 days: a `start` earlier than 30 days ago, or a window longer than 30 days, is
 *   400 `INVALID_REPLICATION_DATE` (messages inferred from client code; the code is documented).
 * - Deleted records are returned for no more than 15 days back (the Recycle Bin; the REST guide's Get Deleted
 *   limit): `earliestDateAvailable` is 15 days ago, to the minute. A client whose start is earlier than that must
 *   re-read everything, as the SOAP guide says.
 * - At most 600,000 ids per call: more is 400 `EXCEEDED_ID_LIMIT` (choose closer dates).
 * - A missing `start` or `end` is 400 `MISSING_ARGUMENT`, a value that is not a date 400 `INVALID_REPLICATION_DATE`
 *   (neither documented; the stricter choice).
 */
import { sfErrors } from './errors';
import type { RecordStore } from './store';
import { toRestDateTime, type RecordData } from './values';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Salesforce's documented cap on the ids one call returns. */
export const MAX_REPLICATION_IDS = 600_000;
const LOOKBACK_MS = 30 * DAY_MS;
const MAX_WINDOW_MS = 30 * DAY_MS;
const DELETE_LOG_MS = 15 * DAY_MS;
const REPLICATION_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})$/;

export interface UpdatedResult {
  ids: string[];
  latestDateCovered: string;
}

export interface DeletedResult {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
}

interface Window {
  start: number;
  /** Exclusive. */
  coveredEnd: number;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function restDate(ms: number): string {
  return toRestDateTime(new Date(ms).toISOString());
}

function parseDate(name: 'start' | 'end', raw: string | undefined): number {
  if (raw === undefined || raw === '') throw sfErrors.MISSING_ARGUMENT(name);
  const ms = REPLICATION_DATE.test(raw) ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  if (Number.isNaN(ms)) throw sfErrors.INVALID_REPLICATION_DATE(`${name}: '${raw}' is not a valid dateTime`);
  return ms;
}

function stampOf(record: RecordData): number {
  return Date.parse(String(record.SystemModstamp));
}

function byId(a: RecordData, b: RecordData): number {
  const [x, y] = [String(a.Id), String(b.Id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export class Replication {
  constructor(
    private readonly store: RecordStore,
    private readonly maxIds = MAX_REPLICATION_IDS,
    private readonly now: () => number = Date.now,
  ) {}

  updated(startRaw: string | undefined, endRaw: string | undefined): UpdatedResult {
    const window = this.window(startRaw, endRaw);
    const rows = this.inWindow(this.store.all(false), window);
    return { ids: rows.map((r) => String(r.Id)), latestDateCovered: restDate(window.coveredEnd) };
  }

  deleted(startRaw: string | undefined, endRaw: string | undefined): DeletedResult {
    const window = this.window(startRaw, endRaw);
    const earliest = floorMinute(this.now() - DELETE_LOG_MS);
    const logged = this.store.all(true).filter((r) => r.IsDeleted === true && stampOf(r) >= earliest);
    const rows = this.inWindow(logged, window);
    return {
      deletedRecords: rows.map((r) => ({ id: String(r.Id), deletedDate: restDate(stampOf(r)) })),
      earliestDateAvailable: restDate(earliest),
      latestDateCovered: restDate(window.coveredEnd),
    };
  }

  private window(startRaw: string | undefined, endRaw: string | undefined): Window {
    const start = floorMinute(parseDate('start', startRaw));
    const end = floorMinute(parseDate('end', endRaw));
    if (end - start < MINUTE_MS) {
      throw sfErrors.INVALID_REPLICATION_DATE('startDate must be at least one minute greater than endDate');
    }
    const now = this.now();
    if (start < now - LOOKBACK_MS) throw sfErrors.INVALID_REPLICATION_DATE('startDate cannot be more than 30 days ago');
    if (end - start > MAX_WINDOW_MS) {
      throw sfErrors.INVALID_REPLICATION_DATE('the time span between startDate and endDate cannot exceed 30 days');
    }
    return { start, coveredEnd: Math.min(end, floorMinute(now)) };
  }

  /** Records whose SystemModstamp falls in the window, oldest change first; more than the cap is an error. */
  private inWindow(records: RecordData[], window: Window): RecordData[] {
    const rows = records
      .filter((r) => stampOf(r) >= window.start && stampOf(r) < window.coveredEnd)
      .sort((a, b) => stampOf(a) - stampOf(b) || byId(a, b));
    if (rows.length > this.maxIds) throw sfErrors.EXCEEDED_ID_LIMIT(this.maxIds);
    return rows;
  }
}
