/** What the change-stream workflow and its subscriber activity exchange (plain JSON). */

/** Where the subscriber is in the CDC stream: durable through heartbeats and workflow input. */
export interface ChangeStreamCursor {
  /** The last replayId whose events Temporal accepted. */
  replayId: number;
  /** Its commit time (epoch ms): where a reconciliation starts when the replayId has expired. */
  commitTimestamp: number;
}

export interface FollowChangesInput {
  cursor: ChangeStreamCursor | null;
  /** Where to start without a cursor: -1 new events only, -2 everything retained. */
  startReplayId: -1 | -2;
  /** Hand the cursor back to the workflow after this long, to keep each attempt bounded. */
  runForMs: number;
}

export interface FollowChangesResult {
  cursor: ChangeStreamCursor | null;
  eventsHandled: number;
}

export interface ChangeStreamActivities {
  followSalesforceChanges(input: FollowChangesInput): Promise<FollowChangesResult>;
}
