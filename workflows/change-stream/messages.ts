/** The Salesforce change-stream workflow's input and id; the subscriber activity's types are its own. */
import type { ChangeStreamCursor } from '../../activities/salesforce/cdc/types';

export type {
  ChangeStreamActivities,
  ChangeStreamCursor,
  FollowChangesInput,
  FollowChangesResult,
} from '../../activities/salesforce/cdc/types';

export interface ChangeStreamInput {
  startReplayId: -1 | -2;
  cursor?: ChangeStreamCursor | null;
  runForMs?: number;
}

export const CHANGE_STREAM_WORKFLOW_ID = 'salesforce-change-stream';
