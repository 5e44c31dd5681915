/**
 * Conditional requests on sObject Rows (`/services/data/vXX.X/sobjects/Project__c/{id}`), as Salesforce's REST API
 * documents them ("Conditional Request Headers", developer.salesforce.com api_rest intro_rest_conditional_requests):
 *
 * - Weak validation compares the header's date with the record's `LastModifiedDate`. Both have one-second
 *   precision: a record last modified at 12:00:05.000 is "modified since" 12:00:04 but not since 12:00:05.
 * - `If-Unmodified-Since` (PATCH, and GET): when the record was modified after that instant the request is not
 *   processed and answers `412 Precondition Failed` (body `[{"errorCode":"PRECONDITION_FAILED", ...}]`); a failed
 *   PATCH changes nothing and publishes no change event.
 * - `If-Modified-Since` (GET): when the record was not modified after that instant the answer is `304 Not Modified`
 *   with no body.
 * - An invalid value of `If-Match`, `If-None-Match` or `If-Unmodified-Since` on a PATCH or POST is `400 Bad
 *   Request` (the docs give the status, not the body: the sandbox answers `[{"errorCode":"INVALID_HEADER_VALUE",
 *   ...}]`, inferred). On a GET an invalid date is ignored, as HTTP 1.1 says.
 * - DELETE is not supported with these headers: Salesforce ignores them on DELETE, so does the sandbox. A client
 *   cannot protect a delete with them (re-read and compare first).
 * - ETags (`ETag` response header, `If-Match`, `If-None-Match`) exist for Account records only; on `Project__c`
 *   no ETag is sent and those two headers have no effect.
 * - Only the three HTTP-date forms count as dates (`Sun, 06 Nov 1994 08:49:37 GMT` and the obsolete RFC 850 and
 *   asctime forms, RFC 7231 section 7.1.1.1); an ISO 8601 string is not an HTTP-date.
 */
import type { FastifyRequest } from 'fastify';
import { sfErrors } from '../errors';
import type { RecordData } from '../values';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\d\d)-([A-Z][a-z]{2})-(\d\d) (\d\d):(\d\d):(\d\d) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utcSeconds(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0 || h > 23 || m > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, monthIndex, day, h, m, s);
  // Date.UTC rolls 31 Feb over into March; a real date survives the round trip.
  return new Date(ms).getUTCDate() === day ? ms / 1000 : undefined;
}

function clock(h?: string, m?: string, s?: string): [number, number, number] {
  return [Number(h), Number(m), Number(s)];
}

/** An HTTP-date as epoch seconds, or undefined when the text is not one. */
export function parseHttpDate(text: string): number | undefined {
  const value = text.trim();
  const imf = IMF_FIXDATE.exec(value);
  if (imf) return utcSeconds(Number(imf[3]), imf[2]!, Number(imf[1]), ...clock(imf[4], imf[5], imf[6]));
  const rfc850 = RFC_850.exec(value);
  if (rfc850) {
    // Two-digit years more than 50 years ahead are in the past century (RFC 7231).
    const yy = Number(rfc850[3]);
    const year = 2000 + yy > new Date().getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return utcSeconds(year, rfc850[2]!, Number(rfc850[1]), ...clock(rfc850[4], rfc850[5], rfc850[6]));
  }
  const asc = ASCTIME.exec(value);
  if (asc) return utcSeconds(Number(asc[6]), asc[1]!, Number(asc[2]), ...clock(asc[3], asc[4], asc[5]));
  return undefined;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function lastModifiedSeconds(record: RecordData): number {
  return Math.floor(Date.parse(String(record.LastModifiedDate)) / 1000);
}

/** PATCH on a row: throws 400 for an invalid `If-Unmodified-Since`, 412 when the record changed after it. */
export function checkWritePreconditions(request: FastifyRequest, record: RecordData): void {
  const raw = header(request, 'if-unmodified-since');
  if (raw === undefined) return;
  const since = parseHttpDate(raw);
  if (since === undefined) throw sfErrors.INVALID_CONDITIONAL_HEADER('If-Unmodified-Since', raw);
  if (lastModifiedSeconds(record) > since) throw sfErrors.PRECONDITION_FAILED(raw);
}

/** GET on a row: 412 if modified after `If-Unmodified-Since`; 'not-modified' (304) if not after If-Modified-Since. */
export function readPrecondition(request: FastifyRequest, record: RecordData): 'proceed' | 'not-modified' {
  const modified = lastModifiedSeconds(record);
  const unmodifiedRaw = header(request, 'if-unmodified-since');
  const unmodifiedSince = unmodifiedRaw === undefined ? undefined : parseHttpDate(unmodifiedRaw);
  if (unmodifiedSince !== undefined && modified > unmodifiedSince) throw sfErrors.PRECONDITION_FAILED(unmodifiedRaw!);
  const modifiedRaw = header(request, 'if-modified-since');
  const modifiedSince = modifiedRaw === undefined ? undefined : parseHttpDate(modifiedRaw);
  if (modifiedSince !== undefined && modified <= modifiedSince) return 'not-modified';
  return 'proceed';
}
