/**
 * Which API versions the sandbox org serves, as Salesforce's API end-of-life policy (2025 onwards) has them:
 *
 * - 31.0 up to the org's current release (64.0 here) are served, by REST (`/services/data/vXX.X/...`) and by CometD
 *   (`/cometd/XX.X`). 31.0-40.0 are deprecated (unsupported from Summer '27, retired from Summer '28) but still
 *   answer today, so clients that hard-code an old version (aiosfstream uses 45.0) work.
 * - 7.0-20.0 (retired Summer '22) and 21.0-30.0 (retired Summer '25) are retired: "If you request any resource or
 *   use an operation from a retired API version, REST API returns the 410:GONE error code." (API End-of-Life
 *   Policy, developer.salesforce.com). The error body's code and text are not documented; the sandbox answers
 *   `[{"errorCode":"GONE", ...}]` (inferred).
 * - Anything else (a version above the current release, `v0.1`, `latest`) is a resource that does not exist: 404
 *   NOT_FOUND on REST.
 * - CometD has no HTTP status of its own (every reply is a Bayeux message): an unserved version fails the handshake
 *   (and any later message) with `400::API version XX.X is not supported`, advising `reconnect: none`, because no
 *   retry against the same URL can succeed.
 * Versions are written with one decimal, `60.0`; `60` or `60.00` is not a version.
 */

/** The org's current release. */
export const LATEST_API_VERSION = 64;
/** The oldest version still served. */
export const MIN_API_VERSION = 31;
/** Versions 7.0 up to this one were served once and are retired now (REST answers 410). */
const LAST_RETIRED_VERSION = 30;
const FIRST_EVER_VERSION = 7;

export type VersionStatus = 'served' | 'retired' | 'unknown';

/** `60.0` -> served, `29.0` -> retired, `99.0` or `sixty` -> unknown. */
export function versionStatus(version: string): VersionStatus {
  if (!/^\d+\.0$/.test(version)) return 'unknown';
  const number = Number(version);
  if (number >= MIN_API_VERSION && number <= LATEST_API_VERSION) return 'served';
  if (number >= FIRST_EVER_VERSION && number <= LAST_RETIRED_VERSION) return 'retired';
  return 'unknown';
}

/** Every served version, oldest first, as `GET /services/data` lists them. */
export function servedVersions(): string[] {
  const versions: string[] = [];
  for (let v = MIN_API_VERSION; v <= LATEST_API_VERSION; v++) versions.push(`${v}.0`);
  return versions;
}
