/** The backfill's handoff activity: a resync of one record's ProjectSync, by signal-with-start (ingress's handoff). */
import type { Client } from '@temporalio/client';
import { requestResync, type Handoff } from '../ingress/temporal-handoff';
import type { BackfillHandoffActivities } from '../workflows/backfill/messages';

export function createBackfillHandoffActivities(client: Client, syncSettings: Handoff['syncSettings']) {
  const activities: BackfillHandoffActivities = {
    handToProjectSync: (salesforceId, reason, procore) =>
      requestResync({ client, syncSettings }, salesforceId, reason, procore),
  };
  return activities;
}
