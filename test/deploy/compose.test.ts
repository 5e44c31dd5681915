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

const ROOT = path.resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
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

/** `tandem --help` lists each command as `tandem <name>[ <sub>|<sub>]: …`. */
async function tandemCommands(): Promise<Map<string, string[]>> {
  const { stderr } = await promisify(execFile)(process.execPath, ['bin/tandem.js', '--help'], { cwd: ROOT });
  const commands = new Map<string, string[]>();
  for (const [, name, subs] of stderr.matchAll(/^ {2}tandem (\w+)(?: ([\w|]+))?/gm))
    commands.set(name, subs?.includes('|') ? subs.split('|') : []);
  return commands;
}

describe('docker-compose.yml', () => {
  it('has the Temporal cluster on PostgreSQL with its UI, two workers, the CDC subscriber and the ingress', () => {
    expect(compose.services.temporal.image).toMatch(/^temporalio\/auto-setup:/);
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(compose.services.postgresql.image).toMatch(/^postgres:/);
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(compose.services.worker).toMatchObject({ command: ['worker'], deploy: { replicas: 2 } });
    expect(compose.services.cdc.command).toEqual(['cdc']);
    expect(compose.services.ingress.command).toEqual(['ingress']);
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
    const secrets = [...SECRET_SETTINGS, 'POSTGRES_PASSWORD', 'POSTGRES_PWD'];
    const required = (value: unknown, name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`).test(String(value));
    const given: string[] = [];
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secrets.includes(key)) continue;
        given.push(key);
        const source = key === 'POSTGRES_PWD' ? 'POSTGRES_PASSWORD' : key;
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
    // The ingress listens on every interface: it must be given the operator token.
    expect(compose.services.ingress.environment).toHaveProperty('TANDEM_API_TOKEN');
    expect(compose.services.ingress.environment?.INGRESS_HOST).toBe('0.0.0.0');
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
