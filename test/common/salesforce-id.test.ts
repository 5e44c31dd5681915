import fc from 'fast-check';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { isValidId, normalizeId } from '../../sandbox/salesforce/ids';

const idChar = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
const id15 = fc.array(idChar, { minLength: 15, maxLength: 15 }).map((chars) => chars.join(''));

describe('toSalesforceId18', () => {
  it('gives the 18-character form Salesforce gives (checked against the sandbox’s own implementation)', () => {
    fc.assert(
      fc.property(id15, (id) => {
        const id18 = toSalesforceId18(id);
        expect(id18).toBe(normalizeId(id));
        expect(isValidId(id18!)).toBe(true);
        // Both forms, and the 18 with its suffix in another case, name one record.
        expect(toSalesforceId18(id18)).toBe(id18);
        expect(toSalesforceId18(id18!.slice(0, 15) + id18!.slice(15).toLowerCase())).toBe(id18);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not an id, and an 18-character id whose suffix does not match', () => {
    expect(toSalesforceId18('a0X8d0000000001EAA')).toBe('a0X8d0000000001EAA');
    expect(toSalesforceId18('a0X8d0000000001')).toBe('a0X8d0000000001EAA');
    expect(toSalesforceId18('a0X8d0000000001ZZZ')).toBeNull();
    expect(toSalesforceId18('not-an-id')).toBeNull();
    expect(toSalesforceId18(42)).toBeNull();
  });
});
