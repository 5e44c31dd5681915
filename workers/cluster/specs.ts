/**
 * What runs in the local production shape, process by process, in start order: Temporal's server and UI, the
 * sandboxes, two sync workers, the CDC worker, two ingresses and the balancer in front of them. Every Tandem part
 * is the `tandem` command an operator would run, pointed at the cluster through its environment.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root';
import { address, url, type ClusterLayout } from './layout';
import type { ProcessSpec } from './processes';
import type { ClusterTools } from './provision';
import { temporalServerSpec, temporalUiSpec } from './temporal';
import { syncWorkerEnv } from '../workflow-memory';

export const CLUSTER_NAMESPACE = 'default';
const TANDEM_BIN = path.join(PROJECT_ROOT, 'bin', 'tandem.js');

/** The settings every Tandem process of the cluster shares. */
export function tandemEnv(layout: ClusterLayout): NodeJS.ProcessEnv {
  const { ports } = layout;
  return {
    TEMPORAL_ADDRESS: address(ports.temporalFrontend),
    TEMPORAL_NAMESPACE: CLUSTER_NAMESPACE,
    TEMPORAL_UI_URL: url(ports.temporalUi),
    SALESFORCE_LOGIN_URL: url(ports.salesforceSandbox),
    PROCORE_LOGIN_URL: url(ports.procoreSandbox),
    PROCORE_API_URL: url(ports.procoreSandbox),
    // Procore delivers to the balancer, never to one ingress.
    INGRESS_PUBLIC_URL: url(ports.ingress),
    // Every worker (sync and CDC) polls as a version of this Worker Deployment (docs/deploying.md).
    TANDEM_DEPLOYMENT_NAME: 'tandem',
  };
}

function tandem(name: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): ProcessSpec {
  return { name, command: process.execPath, args: [TANDEM_BIN, ...args], cwd: PROJECT_ROOT, env, ready };
}

export interface ClusterSpecs {
  temporal: ProcessSpec[];
  sandboxes: ProcessSpec[];
  tandem: ProcessSpec[];
  /**
   * Known to `restart` but not started by `up`: `cdc-2`, the second CDC worker a rollout runs beside `cdc`, so
   * that the new build has one before it is promoted while the old one stays until the change stream moved
   * (docs/deploying.md); `npx tandem cluster restart cdc-2` starts it, `tandem cluster down` stops it.
   */
  spares: ProcessSpec[];
}

export function clusterSpecs(layout: ClusterLayout, tools: ClusterTools, password: string): ClusterSpecs {
  const { ports } = layout;
  const env = tandemEnv(layout);
  const sandbox = (system: 'salesforce' | 'procore', port: number, title: string) =>
    tandem(
      `${system}-sandbox`,
      ['sandbox', system, '--port', String(port), '--data', path.join(layout.dataDir, `${system}.json`)],
      new RegExp(`${title} sandbox listening at`),
    );
  const ingress = (n: number, port: number) =>
    tandem(`ingress-${n}`, ['ingress'], /tandem-ingress ready at/, { ...env, INGRESS_PORT: String(port) });
  return {
    temporal: [temporalServerSpec(layout, tools, password), temporalUiSpec(layout, tools, CLUSTER_NAMESPACE)],
    sandboxes: [
      sandbox('salesforce', ports.salesforceSandbox, 'Salesforce'),
      sandbox('procore', ports.procoreSandbox, 'Procore'),
    ],
    tandem: [
      tandem('worker-1', ['worker'], /tandem-worker ready/, syncWorkerEnv(env)),
      tandem('worker-2', ['worker'], /tandem-worker ready/, syncWorkerEnv(env)),
      tandem('cdc', ['cdc'], /tandem-cdc ready/, env),
      tandem(
        'ingress-balancer',
        [
          'cluster',
          'balance',
          '--port',
          String(ports.ingress),
          '--to',
          `${url(ports.ingressA)},${url(ports.ingressB)}`,
        ],
        /balancing .* at/,
      ),
      ingress(1, ports.ingressA),
      ingress(2, ports.ingressB),
    ],
    spares: [tandem('cdc-2', ['cdc'], /tandem-cdc ready/, env)],
  };
}

export function allSpecs(specs: ClusterSpecs): ProcessSpec[] {
  return [...specs.temporal, ...specs.sandboxes, ...specs.tandem, ...specs.spares];
}
