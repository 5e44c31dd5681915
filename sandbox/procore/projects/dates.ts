/**
 * Date fields as Procore reads them (developers.procore.com/documentation/date-time, "Setting Dates/Times with
 * POST and PATCH Requests"): an API client must send a full ISO 8601 date-time even for a calendar date
 * (`2018-08-26T00:00:00Z`), and a value that is not one does not fail the request: it is stored as null. The
 * sandbox takes that literally, so a bare `2018-08-26` is stored as null too (the less forgiving reading).
 * The stored calendar date is the date part as written, with no time-zone shift, as a date column keeps it.
 *
 * The console is Procore's web page, not the API: its date inputs send plain dates, which it accepts.
 */
import { procoreErrors } from '../errors';
import type { ProjectAttributes } from './schemas';

export const DATE_FIELDS = [
  'start_date',
  'completion_date',
  'warranty_start_date',
  'warranty_end_date',
  'override_start_date',
  'override_end_date',
  'estimated_start_date',
  'estimated_completion_date',
] as const;

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;
const PLAIN_DATE = /^(\d{4}-\d{2}-\d{2})$/;

/** `2026-02-30` matches the pattern but is no day: it must read back as the same date to count. */
function realDate(date: string): string | null {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : null;
}

/** What Procore stores for a date written through the API: the calendar date of a full date-time, else null. */
export function apiDate(value: string | null | undefined): string | null {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  return match ? realDate(match[1]) : null;
}

function consoleDate(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const match = PLAIN_DATE.exec(value) ?? DATE_TIME.exec(value);
  const date = match ? realDate(match[1]) : null;
  if (!date) throw procoreErrors.WRONG_TYPES({ [field]: ['is not a date'] });
  return date;
}

function mapDates(
  attributes: ProjectAttributes,
  read: (field: string, value: string | null | undefined) => string | null,
): ProjectAttributes {
  const result: ProjectAttributes = { ...attributes };
  for (const field of DATE_FIELDS) if (field in result) result[field] = read(field, result[field]);
  return result;
}

/** Dates of an API write, stored as Procore stores them (a malformed one becomes null, silently). */
export function readApiDates(attributes: ProjectAttributes): ProjectAttributes {
  return mapDates(attributes, (_field, value) => apiDate(value));
}

/** Dates typed into the console, which validates them the way a date picker would. */
export function readConsoleDates(attributes: ProjectAttributes): ProjectAttributes {
  return mapDates(attributes, consoleDate);
}
