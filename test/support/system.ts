/**
 * The whole Tandem system for end-to-end tests, each part a separate process started as an operator would:
 * both sandboxes, the sync worker, the CDC worker and the ingress, against the run's real Temporal server.
 * Tests then act only through the systems' own APIs, the sandbox consoles' user endpoints and Temporal.
 */
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import got from 'got';
import { Connection as SalesforceConnection } from 'jsforce';
import { projectSyncWorkflowId, syncStateQuery, type ProjectSyncView } from '../../workflows/project-sync/messages';
import { eventually } from './eventually';
import { startTandemProcess, type TandemProcess } from './process-harness';
import { temporalAddress } from './temporal';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

export type Part = 'worker' | 'cdc' | 'ingress';

export interface SandboxStats {
  api: Record<string, number>;
  total: number;
}

export interface RunningSystem {
  salesforceUrl: string;
  procoreUrl: string;
  ingressUrl: string;
  namespace: string;
  env: NodeJS.ProcessEnv;
  temporal: Client;
  /** A Salesforce API user other than Tandem (its writes are not Tandem's echoes). */
  salesforce: SalesforceConnection;
  /** Process ids of the sandboxes and the running parts, e.g. for their peak memory. */
  pids?(): Record<string, number | undefined>;
  restart(part: Part, how?: 'stop' | 'kill'): Promise<void>;
  stopPart(part: Part, how?: 'stop' | 'kill'): Promise<void>;
  startPart(part: Part): Promise<void>;
  stop(): Promise<void>;
}

/** What each process prints once it is ready (the URL, where it serves one). */
export const READY = {
  salesforce: /Salesforce sandbox listening at (\S+)/,
  procore: /Procore sandbox listening at (\S+)/,
  worker: /tandem-worker ready/,
  cdc: /tandem-cdc ready/,
  ingress: /tandem-ingress ready at (\S+)/,
};

export interface SystemOptions {
  /** A Temporal server other than the run's, e.g. one with its Web UI for screenshots. */
  temporalAddress?: string;
  /** Environment for one part only, e.g. METRICS_PORT for the worker (the CDC worker would take the same port). */
  partEnv?: Partial<Record<Part, NodeJS.ProcessEnv>>;
  /** Prefix of the processes' log files in test-output/ (default e2e). */
  label?: string;
  /** Extra arguments for both sandboxes, e.g. `--seed 7` for pre-existing data. */
  sandboxArgs?: string[];
  /** Extra arguments for the Procore sandbox only, e.g. `--webhook-max-attempts 2`. */
  procoreSandboxArgs?: string[];
}

export async function startSystem(
  namespace: string,
  extraEnv: NodeJS.ProcessEnv = {},
  options: SystemOptions = {},
): Promise<RunningSystem> {
  const temporal = options.temporalAddress ?? temporalAddress();
  const label = options.label ?? 'e2e';
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  const [salesforceSandbox, procoreSandbox] = await Promise.all([
    startTandemProcess(
      `${label}-salesforce-sandbox`,
      [
        'sandbox',
        'salesforce',
        '--port',
        '0',
        '--data',
        path.join(dataDir, 'salesforce.json'),
        ...(options.sandboxArgs ?? []),
      ],
      {},
      READY.salesforce,
    ),
    startTandemProcess(
      `${label}-procore-sandbox`,
      [
        'sandbox',
        'procore',
        '--port',
        '0',
        '--data',
        path.join(dataDir, 'procore.json'),
        ...(options.sandboxArgs ?? []),
        ...(options.procoreSandboxArgs ?? []),
      ],
      {},
      READY.procore,
    ),
  ]);
  const salesforceUrl = salesforceSandbox.ready[1];
  const procoreUrl = procoreSandbox.ready[1];
  const env: NodeJS.ProcessEnv = {
    // One release for the system's life: a worker restarted by a test runs the build it started with (a workflow
    // source edited meanwhile would otherwise be a new Deployment Version that nobody promoted). A compiled install
    // runs its own dist/workflow-bundle.js, fixed already.
    ...(extraEnv.TANDEM_RUN_FROM === 'dist' ? {} : { TANDEM_WORKFLOW_BUNDLE: await workflowBundlePath() }),
    TEMPORAL_ADDRESS: temporal,
    TEMPORAL_NAMESPACE: namespace,
    SALESFORCE_LOGIN_URL: salesforceUrl,
    PROCORE_LOGIN_URL: procoreUrl,
    PROCORE_API_URL: procoreUrl,
    INGRESS_PORT: '0',
    TANDEM_COALESCE_MS: '150',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };

  const parts = new Map<Part, TandemProcess>();
  const startPart = async (part: Part) => {
    parts.set(
      part,
      await startTandemProcess(`${label}-${part}`, [part], { ...env, ...options.partEnv?.[part] }, READY[part]),
    );
  };
  const stopPart = async (part: Part, how: 'stop' | 'kill' = 'stop') => {
    const running = parts.get(part);
    parts.delete(part);
    if (running) await (how === 'kill' ? running.kill() : running.stop());
  };
  await Promise.all([startPart('worker'), startPart('cdc'), startPart('ingress')]);
  const ingressUrl = parts.get('ingress')!.ready[1];

  const temporalConnection = await TemporalConnection.connect({ address: temporal });
  const client = new Client({ connection: temporalConnection, namespace });
  const salesforce = new SalesforceConnection({
    oauth2: { loginUrl: salesforceUrl, ...SANDBOX_DEFAULT_CREDENTIALS.salesforce },
    version: '60.0',
    callOptions: { client: 'e2e-user' },
  });
  await salesforce.authorize({ grant_type: 'client_credentials' });

  return {
    salesforceUrl,
    procoreUrl,
    ingressUrl,
    namespace,
    env,
    temporal: client,
    salesforce,
    startPart,
    stopPart,
    pids: () => ({
      salesforceSandbox: salesforceSandbox.child.pid,
      procoreSandbox: procoreSandbox.child.pid,
      ...Object.fromEntries([...parts].map(([part, running]) => [part, running.child.pid])),
    }),
    restart: async (part, how = 'stop') => {
      await stopPart(part, how);
      await startPart(part);
    },
    stop: async () => {
      await Promise.all([...parts.keys()].map((p) => stopPart(p)));
      await Promise.all([salesforceSandbox.stop(), procoreSandbox.stop()]);
      await temporalConnection.close();
    },
  };
}

export type SalesforceProject = Record<string, unknown> & { Id: string };
export type ProcoreProject = Record<string, unknown> & { id: number; origin_id: string | null; updated_at: string };

/** The sandbox consoles' user endpoints: edits as a person in the UI makes them. */
export const consoleUser = {
  async createSalesforceProject(system: RunningSystem, fields: Record<string, unknown>): Promise<SalesforceProject> {
    return got.post(`${system.salesforceUrl}/sandbox/ui/Project__c`, { json: fields }).json<SalesforceProject>();
  },
  async editSalesforceProject(
    system: RunningSystem,
    id: string,
    fields: Record<string, unknown>,
  ): Promise<SalesforceProject> {
    return got.patch(`${system.salesforceUrl}/sandbox/ui/Project__c/${id}`, { json: fields }).json<SalesforceProject>();
  },
  async deleteSalesforceProject(system: RunningSystem, id: string): Promise<void> {
    await got.delete(`${system.salesforceUrl}/sandbox/ui/Project__c/${id}`);
  },
  async createProcoreProject(system: RunningSystem, fields: Record<string, unknown>): Promise<ProcoreProject> {
    return got.post(`${system.procoreUrl}/sandbox/ui/projects`, { json: fields }).json<ProcoreProject>();
  },
  async editProcoreProject(
    system: RunningSystem,
    id: number | string,
    fields: Record<string, unknown>,
  ): Promise<ProcoreProject> {
    return got.patch(`${system.procoreUrl}/sandbox/ui/projects/${id}`, { json: fields }).json<ProcoreProject>();
  },
};

/** Reading Procore as an API client does (token, company header). */
export async function procoreToken(system: RunningSystem): Promise<string> {
  const token = await got
    .post(`${system.procoreUrl}/oauth/token`, {
      json: {
        grant_type: 'client_credentials',
        client_id: SANDBOX_DEFAULT_CREDENTIALS.procore.clientId,
        client_secret: SANDBOX_DEFAULT_CREDENTIALS.procore.clientSecret,
      },
    })
    .json<{ access_token: string }>();
  return token.access_token;
}

export async function procoreGet<T>(system: RunningSystem, pathAndQuery: string): Promise<T> {
  return got(`${system.procoreUrl}${pathAndQuery}`, {
    headers: { authorization: `Bearer ${await procoreToken(system)}`, 'procore-company-id': '4264807' },
  }).json<T>();
}

export async function procoreProjectsByOrigin(system: RunningSystem, originId: string): Promise<ProcoreProject[]> {
  return procoreGet<ProcoreProject[]>(
    system,
    `/rest/v1.0/projects?company_id=4264807&filters[origin_id]=${originId}&filters[by_status]=All`,
  );
}

export async function procoreProject(system: RunningSystem, id: number | string): Promise<ProcoreProject> {
  return procoreGet<ProcoreProject>(system, `/rest/v1.0/projects/${id}?company_id=4264807`);
}

export async function salesforceProject(system: RunningSystem, id: string): Promise<SalesforceProject> {
  return (await system.salesforce.sobject('Project__c').retrieve(id)) as SalesforceProject;
}

export async function sandboxStats(url: string): Promise<SandboxStats> {
  return got(`${url}/sandbox/stats`).json<SandboxStats>();
}

export async function setFaults(url: string, faults: Record<string, unknown> | null): Promise<void> {
  if (faults) await got.post(`${url}/sandbox/faults`, { json: faults });
  else await got.delete(`${url}/sandbox/faults`);
}

export async function syncState(system: RunningSystem, salesforceId: string): Promise<ProjectSyncView> {
  return system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId)).query(syncStateQuery);
}

/** Waits until the Salesforce record is linked to exactly one Procore project, and returns both. */
export async function linkedPair(
  system: RunningSystem,
  salesforceId: string,
  timeoutMs = 30_000,
): Promise<{ sf: SalesforceProject; pc: ProcoreProject }> {
  return eventually(
    async () => {
      const sf = await salesforceProject(system, salesforceId);
      if (!sf.Procore_ID__c) return undefined;
      const matches = await procoreProjectsByOrigin(system, salesforceId);
      return matches.length === 1 && String(matches[0].id) === sf.Procore_ID__c ? { sf, pc: matches[0] } : undefined;
    },
    `Salesforce ${salesforceId} linked to one Procore project`,
    timeoutMs,
    200,
  );
}
