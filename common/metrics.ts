/**
 * Tandem's Prometheus metrics, declared once. Each process exposes its own registry (the ingress at /metrics,
 * workers on METRICS_PORT); `tandem start` runs everything in one process, so its /metrics has them all.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
// The process and Node.js metrics under the names every Prometheus client library gives them
// (process_cpu_user_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_seconds, …): the standard
// dashboards and alerts query those, and the job and instance labels tell Tandem's processes apart.
collectDefaultMetrics({ register: registry });

export const eventsReceived = new Counter({
  name: 'tandem_events_received_total',
  help: 'Change events handed to Temporal, by source system',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const eventsDropped = new Counter({
  name: 'tandem_events_dropped_total',
  help: "Change events dropped: echoes of Tandem's own writes (by the ingress or a ProjectSync), duplicate deliveries, stale values",
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const workerRenewals = new Counter({
  name: 'tandem_worker_renewals_total',
  help: 'Workflow workers a sync worker replaced in place, by reason (lost-activation: the Temporal SDK lost a run)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const syncs = new Counter({
  name: 'tandem_syncs_total',
  help: 'Writes to one side (direction is source_to_target) and parked syncs',
  labelNames: ['direction', 'outcome'] as const,
  registers: [registry],
});

export const syncLatency = new Histogram({
  name: 'tandem_sync_latency_seconds',
  help: "From the source system's commit of a change to the moment the other side holds it",
  labelNames: ['direction'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const apiCalls = new Counter({
  name: 'tandem_api_calls_total',
  help: 'System API activity calls, by system, activity and outcome (ok or the Tandem error code)',
  labelNames: ['system', 'activity', 'outcome'] as const,
  registers: [registry],
});

export const reconcileSweeps = new Counter({
  name: 'tandem_reconcile_sweeps_total',
  help: 'Reconciliation sweeps of a system run to the end, by system',
  labelNames: ['system'] as const,
  registers: [registry],
});

export const reconcileProjectsRead = new Counter({
  name: 'tandem_reconcile_projects_read_total',
  help: 'Projects a reconciliation sweep read (updated since the last sweep), by system',
  labelNames: ['system'] as const,
  registers: [registry],
});

export const reconcilePagesRead = new Counter({
  name: 'tandem_reconcile_pages_read_total',
  help: 'API pages a reconciliation sweep read (list pages, replication windows, queries), by system',
  labelNames: ['system'] as const,
  registers: [registry],
});

export const reconcileDifferences = new Counter({
  name: 'tandem_reconcile_differences_total',
  help: 'Projects a sweep found changed after the state their ProjectSync last saw, each handed over once, by system',
  labelNames: ['system'] as const,
  registers: [registry],
});
