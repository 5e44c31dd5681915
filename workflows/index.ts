/** Every workflow the sync worker runs: the bundle's entry point. */
export { projectSync } from './project-sync/project-sync';
export { procoreProjectRouter } from './procore-router/procore-router';
export { salesforceChangeStream } from './change-stream/change-stream';
export { backfill } from './backfill/backfill';
export { procoreReconcile } from './reconcile/procore-reconcile';
export { reconcile } from './reconcile/reconcile';
