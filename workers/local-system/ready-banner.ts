/** The block `tandem start` prints once everything answers: where to look, and the `ready` line scripts wait for. */
import type { LocalSystem, SystemEndpoint } from './local-system';

export const READY_LINE = 'Tandem is ready';

const row = (label: string, value: string, note = '') =>
  `  ${label.padEnd(20)}${note ? `${value.padEnd(34)} ${note}` : value}`;

function systemRow(name: string, endpoint: SystemEndpoint, setting: string): string {
  return endpoint.sandbox
    ? row(`${name} sandbox`, endpoint.url, 'its own console at /')
    : row(name, endpoint.url, `the real one (${setting}); no sandbox`);
}

export function readyBanner(system: LocalSystem): string {
  const { temporal } = system;
  const consoleRow =
    'url' in system.console
      ? row('Demo console', system.console.url, 'both sides, sync status, workflow links')
      : row('Demo console', system.console.skipped);
  const lines = [
    '',
    `Tandem is running on this machine; data in ${system.dataDir}`,
    '',
    row('Temporal UI', temporal.uiUrl, `namespace ${temporal.namespace}; search SalesforceId = "…"`),
    consoleRow,
    systemRow('Salesforce', system.salesforce, 'SALESFORCE_LOGIN_URL'),
    systemRow('Procore', system.procore, 'PROCORE_API_URL'),
    row('Operator page', `${system.ingressUrl}/ui`, 'every ProjectSync: status, last error, re-sync'),
    row('Ingress', system.ingressUrl, 'operator API /api/projects, /openapi.json, /healthz, /readyz'),
    row('Metrics', `${system.ingressUrl}/metrics`, 'Prometheus'),
    row('Temporal server', temporal.address, `dev server pid ${temporal.pid}, ${temporal.dbFile}`),
    '',
    ...system.notes.map((note) => `Note: ${note}`),
    'Create or edit a project on either side and watch the other follow. Ctrl-C stops everything.',
    READY_LINE,
    '',
  ];
  return lines.join('\n');
}
