/** How a Salesforce error becomes a parked sync's reason: rejected (waits for a change) or unavailable (retried). */
import { classifySalesforceError } from '../../activities/salesforce/failures';

/** The shape jsforce throws (its HttpApiError, not exported): the body's error in `data`. */
function salesforceError(errorCode: string, fields?: string[]): Error {
  return Object.assign(new Error(`${errorCode} happened`), {
    name: errorCode,
    errorCode,
    data: { errorCode, message: `${errorCode} happened`, fields },
  });
}

describe('classifySalesforceError', () => {
  it.each([
    'STRING_TOO_LONG',
    'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'ENTITY_IS_LOCKED',
  ])('takes %s as a rejection, not retried by the activity', (code) => {
    const err = classifySalesforceError(salesforceError(code), 'a0X000000000001AAA');
    expect(err).toMatchObject({ code: 'TANDEM_SALESFORCE_REJECTED', retryable: false });
  });

  it('names the fields Salesforce named', () => {
    const err = classifySalesforceError(salesforceError('STRING_TOO_LONG', ['City__c']), 'a0X000000000001AAA');
    expect(err.field).toBe('City__c');
  });

  it('takes rate limits and server errors as unavailable, worth retrying', () => {
    const err = classifySalesforceError(salesforceError('REQUEST_LIMIT_EXCEEDED'), 'a0X000000000001AAA');
    expect(err).toMatchObject({ code: 'TANDEM_SALESFORCE_UNAVAILABLE', retryable: true });
    expect(err.field).toBeUndefined();
  });
});
