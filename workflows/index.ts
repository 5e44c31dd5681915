/** Every workflow the sync worker runs: the bundle's entry point. */
import { projectSync } from './project-sync/project-sync';
import { procoreProjectRouter } from './procore-router/procore-router';
import { salesforceChangeStream } from './change-stream/change-stream';
import { backfill } from './backfill/backfill';
import { reconcile } from './reconcile/reconcile';
import { declareVersioning } from './versioning';

// Each type's versioning behaviour, and why, is in versioning.ts.
declareVersioning({ projectSync, procoreProjectRouter, salesforceChangeStream, backfill, reconcile });

export { projectSync, procoreProjectRouter, salesforceChangeStream, backfill, reconcile };
