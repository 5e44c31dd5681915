/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so this checks what can be checked:
 * the compose file parses and hangs together, every setting it passes is one Tandem knows, every `tandem` command
 * it runs exists, and every path the Dockerfile copies is in the repository.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { configSchema, SECRET_SETTINGS } from '../../common/config';
import { clusterLayout } from '../../workers/cluster/layout';
import { POSTGRES_SETTINGS } from '../../workers/cluster/postgres';
import { clusterToolPaths } from '../../workers/cluster/provision';
import { temporalServerSpec, temporalUiSpec } from '../../workers/cluster/temporal';
import { CLUSTER_VERSIONS, GO_MODULES } from '../../workers/cluster/versions';

const ROOT = path.resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: string | { context: string; args?: Record<string, string> };
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Docker Compose applies YAML merge keys (`<<: *tandem`).
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const services = Object.entries(compose.services);
const tandemServices = services.filter(([, s]) => s.build === '.');
const temporalImage = compose.services.temporal;

/** `tandem --help` lists each command as `tandem <name>[ <sub>|<sub>]: …`. */
async function tandemCommands(): Promise<Map<string, string[]>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/tandem.js', '--help'], { cwd: ROOT });
  const commands = new Map<string, string[]>();
  for (const [, name, subs] of stdout.matchAll(/^ {2}tandem (\w+)(?: ([\w|]+))?/gm))
    commands.set(name, subs?.includes('|') ? subs.split('|') : []);
  return commands;
}

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL with its UI, two workers, the CDC subscriber, two ingresses and their balancer', () => {
    expect(compose.services.temporal.environment).toMatchObject({ TEMPORAL_DB_HOST: 'postgresql' });
    expect(compose.services.postgresql.image).toMatch(/^postgres:/);
    expect(compose.services['temporal-ui'].command?.[0]).toBe('temporal-ui-server');
    expect(compose.services.worker).toMatchObject({ command: ['worker'], deploy: { replicas: 2 } });
    expect(compose.services.cdc.command).toEqual(['cdc']);
    expect(compose.services['ingress-1'].command).toEqual(['ingress']);
    expect(compose.services['ingress-2'].command).toEqual(['ingress']);
    expect(compose.services.ingress.command?.slice(0, 2)).toEqual(['cluster', 'balance']);
    expect(compose.services.ingress.command?.at(-1)).toBe('http://ingress-1:3000,http://ingress-2:3000');
  });

  it('keeps the sandboxes, and only them, in the sandbox profile', () => {
    const profiled = services.filter(([, s]) => s.profiles?.length).map(([name]) => name);
    expect(profiled.sort()).toEqual(['procore-sandbox', 'salesforce-sandbox']);
    for (const name of profiled) expect(compose.services[name].profiles).toEqual(['sandbox']);
  });

  it('depends only on services that exist and are always started', () => {
    for (const [name, service] of services) {
      const targets = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const target of targets) {
        expect({ service: name, dependsOn: target, exists: target in compose.services }).toEqual({
          service: name,
          dependsOn: target,
          exists: true,
        });
        expect(compose.services[target].profiles).toBeUndefined();
      }
    }
  });

  it('passes Tandem only settings that its configuration schema knows, with valid defaults', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const [name, service] of tandemServices) {
      const keys = Object.keys(service.environment ?? {});
      expect({ service: name, unknown: keys.filter((key) => !known.has(key)) }).toEqual({ service: name, unknown: [] });
      // `${NAME:-default}` resolves to its default when NAME is unset; those defaults must pass validation.
      // `${NAME:?message}` has no default: the operator's value stands in as a valid one.
      const resolved = Object.fromEntries(
        keys.map((key) => [
          key,
          String(service.environment?.[key])
            .replace(/^\$\{\w+:-(.*)\}$/, '$1')
            .replace(/^\$\{\w+:\?.*\}$/, 'an-operator-chosen-secret-0123'),
        ]),
      );
      expect(configSchema.safeParse(resolved).success).toBe(true);
    }
  });

  it('takes every secret only from the environment: no default, compose refuses to start without it', () => {
    const secrets = [...SECRET_SETTINGS, 'POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'SQL_PASSWORD'];
    const required = (value: unknown, name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`).test(String(value));
    const given: string[] = [];
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secrets.includes(key)) continue;
        given.push(key);
        const source = ['POSTGRES_PASSWORD', 'SQL_PASSWORD'].includes(key) ? 'TEMPORAL_DB_PASSWORD' : key;
        expect({ service: name, key, value, required: required(value, source) }).toMatchObject({ required: true });
      }
      for (const arg of service.command ?? []) {
        if (arg.startsWith('--client-secret'))
          expect({ service: name, arg }).toEqual({
            service: name,
            arg: expect.stringMatching(/^--client-secret=\$\{\w+:\?[^}]+\}$/),
          });
      }
    }
    // The ingresses listen on every interface: each must be given the operator token.
    const ingresses = services.filter(([, service]) => service.command?.[0] === 'ingress');
    expect(ingresses.length).toBeGreaterThanOrEqual(1);
    for (const [name, service] of ingresses) {
      expect({ name, host: service.environment?.INGRESS_HOST }).toEqual({ name, host: '0.0.0.0' });
      expect({ name, token: service.environment?.TANDEM_API_TOKEN }).toEqual({
        name,
        token: expect.stringMatching(/^\$\{TANDEM_API_TOKEN:\?[^}]+\}$/),
      });
    }
    for (const secret of ['SALESFORCE_CLIENT_SECRET', 'PROCORE_CLIENT_SECRET', 'PROCORE_WEBHOOK_SECRET'])
      expect(given).toContain(secret);
  });

  it('runs only tandem commands that exist', async () => {
    const commands = await tandemCommands();
    expect(tandemServices.length).toBeGreaterThanOrEqual(5);
    for (const [name, service] of tandemServices) {
      const [command, sub] = service.command ?? [];
      expect({ service: name, command, known: commands.has(command) }).toEqual({ service: name, command, known: true });
      const subs = commands.get(command) ?? [];
      if (subs.length) expect(subs).toContain(sub);
    }
  });

  it('declares every named volume it mounts', () => {
    for (const [, service] of services) {
      for (const mount of (service as { volumes?: string[] }).volumes ?? []) {
        const source = mount.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
    }
  });
});

/** The `env "NAME"` a Temporal configuration template reads. */
function templateEnv(file: string): Set<string> {
  return new Set([...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/env "(\w+)"/g)].map(([, name]) => name));
}

describe('docker-compose.yml and tandem cluster up run the same Temporal', () => {
  const temporalDockerfile = readFileSync(path.join(ROOT, 'deploy/temporal/Dockerfile'), 'utf8');
  const layout = clusterLayout('/tmp/compose-test');
  const tools = { ...clusterToolPaths(), postgresBin: '/usr/lib/postgresql/15/bin' };
  const serverSpec = temporalServerSpec(layout, tools, 'pw');

  it('builds Temporal from the same module versions the local cluster provisions', () => {
    const build = temporalImage.build as { context: string; args: Record<string, string> };
    expect(build.context).toBe('./deploy/temporal');
    expect(build.args).toEqual({
      TEMPORAL_SERVER_VERSION: CLUSTER_VERSIONS.temporalServer,
      TEMPORAL_UI_VERSION: CLUSTER_VERSIONS.temporalUi,
    });
    expect(temporalImage.image).toBe(`tandem-temporal:${CLUSTER_VERSIONS.temporalServer}`);
    for (const name of ['temporal-schema', 'temporal-ui']) expect(compose.services[name].build).toEqual(build);
    const installed = [...temporalDockerfile.matchAll(/go install ([^\n]+)/g)]
      .flatMap(([, modules]) => modules.split(' '))
      .map((module) => module.replace(/\$\{(\w+)\}/g, (_, arg: string) => build.args[arg]));
    expect(installed.sort()).toEqual(Object.values(GO_MODULES).sort());
  });

  it('runs the PostgreSQL major version and settings the local cluster runs', () => {
    expect(compose.services.postgresql.image).toBe(`postgres:${CLUSTER_VERSIONS.postgres}`);
    const settings = Object.entries(POSTGRES_SETTINGS).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    expect(compose.services.postgresql.command).toEqual(['postgres', ...settings]);
  });

  it('sets up the schema with the same script', () => {
    expect(temporalDockerfile).toMatch(/^COPY setup-schema\.sh \/usr\/local\/bin\/temporal-setup-schema$/m);
    expect(compose.services['temporal-schema'].command).toEqual(['temporal-setup-schema']);
    expect(compose.services.temporal.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
  });

  it('starts the server on the same configuration files and dynamic configuration', () => {
    expect(temporalDockerfile).toMatch(/^COPY config \/etc\/temporal\/config$/m);
    expect(temporalDockerfile).toMatch(/^COPY dynamicconfig \/etc\/temporal\/dynamicconfig$/m);
    const started = compose.services.temporal.command?.join(' ') ?? '';
    const localArgs = serverSpec.args.slice(2).join(' ');
    expect(serverSpec.args.slice(0, 2)).toEqual(['--root', path.join(ROOT, 'deploy/temporal')]);
    expect(started).toContain(`temporal-server --root /etc/temporal ${localArgs}`);
    expect(compose.services.temporal.environment?.TEMPORAL_DYNAMIC_CONFIG).toBe(
      '/etc/temporal/dynamicconfig/production.yaml',
    );
    expect(serverSpec.env?.TEMPORAL_DYNAMIC_CONFIG).toBe(
      path.join(ROOT, 'deploy/temporal/dynamicconfig/production.yaml'),
    );
  });

  it('passes only settings the configuration templates read', () => {
    const serverReads = templateEnv('deploy/temporal/config/production.yaml');
    const uiReads = templateEnv('deploy/temporal/ui-config/production.yaml');
    const unknown = (keys: string[], reads: Set<string>) => keys.filter((key) => !reads.has(key));
    expect(unknown(Object.keys(serverSpec.env ?? {}), serverReads)).toEqual([]);
    expect(unknown(Object.keys(compose.services.temporal.environment ?? {}), serverReads)).toEqual([]);
    expect(unknown(Object.keys(temporalUiSpec(layout, tools, 'default').env ?? {}), uiReads)).toEqual([]);
    expect(unknown(Object.keys(compose.services['temporal-ui'].environment ?? {}), uiReads)).toEqual([]);
  });

  it("registers Tandem's namespace and search attributes with the command the local cluster's code uses", () => {
    expect(compose.services['temporal-setup'].command).toEqual(['cluster', 'namespace']);
    for (const [name, service] of tandemServices.filter(([n]) => !n.startsWith('temporal')))
      if (!name.endsWith('sandbox') && name !== 'ingress')
        expect({ name, dependsOn: service.depends_on }).toEqual({
          name,
          dependsOn: { 'temporal-setup': { condition: 'service_completed_successfully' } },
        });
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const [buildStage, runtimeStage] = dockerfile.split(/^FROM /m).slice(1);

  it('builds in two stages on a supported Node LTS and runs the tandem CLI from dist/', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(bases).toEqual(['node:22-slim', 'node:22-slim']);
    expect(buildStage).toMatch(/^RUN npm ci\b/m);
    expect(buildStage).toMatch(/^RUN npm run build$/m);
    expect(runtimeStage).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtimeStage).toMatch(/TANDEM_RUN_FROM=dist/);
    expect(runtimeStage).toMatch(/^ENTRYPOINT \["node", "bin\/tandem\.js"\]$/m);
  });

  it('bakes no secret into the image', () => {
    for (const secret of SECRET_SETTINGS)
      expect(dockerfile).not.toMatch(new RegExp(`^(ENV|ARG)\\b.*\\b${secret}\\b`, 'm'));
  });

  it('copies only paths that exist in the repository', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(([, list]) => list.split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources)
      expect({ source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
  });

  it('compiles every folder the build compiles, and ships only the compiled tree', () => {
    const copied = (stage: string) => new Set([...stage.matchAll(/^COPY (\S+) \.\/\1$/gm)].map(([, folder]) => folder));
    const buildConfig = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    const compiled = new Set(buildConfig.include.map((entry) => entry.split('/')[0]));
    for (const folder of [...compiled, 'bin', 'scripts']) expect(copied(buildStage)).toContain(folder);
    expect([...copied(runtimeStage)]).toEqual(['bin']);
    expect(runtimeStage).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  });
});

describe('.env.example', () => {
  const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');

  it('documents every setting Tandem reads, the security ones included', () => {
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map(([, name]) => name));
    const missing = Object.keys(configSchema.shape).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
