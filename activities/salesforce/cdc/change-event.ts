/** A CDC message as jsforce hands it over (`{schema, payload, event}`), validated and split per record. */
import { z } from 'zod';
import { toSalesforceId18 } from '../../../common/salesforce-id';
import { SALESFORCE_CHANGE_TYPES, type SalesforceChange } from '../types';

export const PROJECT_CHANNEL = '/data/Project__ChangeEvent';

const headerSchema = z.object({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.enum([...SALESFORCE_CHANGE_TYPES, 'GAP_OVERFLOW']),
  changeOrigin: z.string().default(''),
  transactionKey: z.string(),
  sequenceNumber: z.number(),
  commitTimestamp: z.number(),
  commitUser: z.string().optional(),
  changedFields: z.array(z.string()).default([]),
});

export const changeEventSchema = z.object({
  schema: z.string().optional(),
  payload: z.object({ ChangeEventHeader: headerSchema }).catchall(z.unknown()),
  event: z.object({ replayId: z.number() }),
});

export type ChangeEvent = z.infer<typeof changeEventSchema>;
export type ChangeEventHeader = z.infer<typeof headerSchema>;

/** `com/salesforce/api/rest/60.0;client=tandem`: options are separated by `;` (newer) or `,` (older). */
export function madeByClient(changeOrigin: string, clientName: string): boolean {
  return changeOrigin
    .split(/[;,]/)
    .map((part) => part.trim())
    .includes(`client=${clientName}`);
}

/** One SalesforceChange per record id; GAP_OVERFLOW carries no ids and is reconciled instead. */
export function toSalesforceChanges(
  event: ChangeEvent,
  clientName: string,
): Array<{ salesforceId: string; change: SalesforceChange }> {
  const { ChangeEventHeader: header, ...fields } = event.payload;
  if (header.changeType === 'GAP_OVERFLOW') return [];
  const changeType = header.changeType;
  return header.recordIds
    .map((recordId) => toSalesforceId18(recordId) ?? recordId)
    .map((salesforceId) => ({
      salesforceId,
      change: {
        eventId: `${header.transactionKey}:${header.sequenceNumber}:${salesforceId}`,
        changeType,
        commitTimestamp: header.commitTimestamp,
        madeByTandem: madeByClient(header.changeOrigin, clientName),
        fields,
        replayId: event.event.replayId,
      },
    }));
}
