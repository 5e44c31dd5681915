import { parkedAfter, retryDelayMs } from '../../workflows/project-sync/healing';
import { DEFAULT_SETTINGS } from '../../workflows/project-sync/model';

const unavailable = { code: 'TANDEM_PROCORE_UNAVAILABLE', message: 'Procore is unavailable: 503', retryable: true };
const rejected = {
  code: 'TANDEM_SALESFORCE_REJECTED',
  message: 'Salesforce rejected the change (STRING_TOO_LONG): City: data value too large',
  retryable: false,
  field: 'City__c',
};

describe('parked sync retries', () => {
  it('back off from 30 s, doubling, up to 15 minutes by default', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 50].map((retries) => retryDelayMs(unavailable, retries, DEFAULT_SETTINGS));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('re-check a rejected value hourly by default, however often it was tried', () => {
    expect(retryDelayMs(rejected, 0, DEFAULT_SETTINGS)).toBe(3_600_000);
    expect(retryDelayMs(rejected, 9, DEFAULT_SETTINGS)).toBe(3_600_000);
  });

  it('count retries from the first park and schedule the next from this failure', () => {
    const first = parkedAfter(null, unavailable, 1_000, DEFAULT_SETTINGS);
    expect(first).toMatchObject({ retries: 0, at: 1_000, nextRetryAt: 31_000, retryable: true });
    const second = parkedAfter(first, unavailable, 40_000, DEFAULT_SETTINGS);
    expect(second).toMatchObject({ retries: 1, at: 40_000, nextRetryAt: 100_000 });
    expect(parkedAfter(null, rejected, 0, DEFAULT_SETTINGS)).toMatchObject({ field: 'City__c', retryable: false });
  });
});
