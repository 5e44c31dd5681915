/** Counts every system-API activity call by outcome, without the activities knowing. */
import { ApplicationFailure } from '@temporalio/common';
import { apiCalls } from '../common/metrics';

type AnyActivity = (...args: never[]) => Promise<unknown>;

export function instrumentActivities<T extends { [K in keyof T]: AnyActivity }>(
  system: 'salesforce' | 'procore',
  activities: T,
): T {
  const wrapped = {} as T;
  for (const name of Object.keys(activities) as Array<keyof T>) {
    const activity = activities[name];
    wrapped[name] = (async (...args: never[]) => {
      try {
        const result = await activity(...args);
        apiCalls.inc({ system, activity: String(name), outcome: 'ok' });
        return result;
      } catch (err) {
        apiCalls.inc({
          system,
          activity: String(name),
          outcome: err instanceof ApplicationFailure ? (err.type ?? 'failed') : 'failed',
        });
        throw err;
      }
    }) as T[keyof T];
  }
  return wrapped;
}
