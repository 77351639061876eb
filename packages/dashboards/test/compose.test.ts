import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  appInvocation,
  bindMounts,
  dockerfileChownedPaths,
  dockerfileUser,
  buildOf,
  dockerfileSources,
  environmentOf,
  listeningPorts,
  loadCompose,
  paths,
} from '../src/index';
import { readYaml } from '../src/compose';

const run = promisify(execFile);
const project = loadCompose(paths.composeFile());
const services = [...project.services.values()];

interface PromConfig {
  rule_files?: string[];
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
}
const promConfig = readYaml<PromConfig>(join(paths.prometheus(), 'prometheus.yml'));
const targets = promConfig.scrape_configs.flatMap((job) =>
  job.static_configs.flatMap((s) => s.targets.map((target) => ({ job: job.job_name, target }))),
);

describe('compose files', () => {
  it('compose.yaml parses and includes kafka, observability and pipeline', () => {
    expect(project.files.map((f) => basename(f))).toEqual([
      'compose.yaml',
      'kafka.yaml',
      'observability.yaml',
      'pipeline.yaml',
    ]);
    for (const name of ['kafka', 'prometheus', 'node-exporter', 'grafana', 'checkout', 'loadgen'])
      expect(project.services.has(name), name).toBe(true);
  });

  it('every build context and Dockerfile exists', () => {
    const built = services.filter((s) => s.build);
    expect(built.length).toBeGreaterThan(3);
    for (const service of built) {
      const build = buildOf(service)!;
      expect(statSync(build.context).isDirectory(), `${service.name}: context ${build.context}`).toBe(true);
      expect(existsSync(build.dockerfile), `${service.name}: ${build.dockerfile}`).toBe(true);
    }
  });

  it('every path the Dockerfile copies from the build context exists', () => {
    const dockerfiles = new Map(
      services.flatMap((s) => {
        const b = buildOf(s);
        return b ? [[b.dockerfile, b.context] as const] : [];
      }),
    );
    const missing: string[] = [];
    for (const [dockerfile, context] of dockerfiles)
      for (const source of dockerfileSources(dockerfile))
        if (!existsSync(join(context, source))) missing.push(`${basename(dockerfile)}: ${source}`);
    expect(missing).toEqual([]);
  });

  it("the image's dependency stage copies every workspace's package.json (npm ci needs them all)", () => {
    const root = paths.root();
    const workspaces = ['packages', 'apps'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((name) => existsSync(join(root, dir, name, 'package.json')))
        .map((name) => `${dir}/${name}/package.json`),
    );
    const copied = new Set(dockerfileSources(join(root, 'Dockerfile')));
    expect(workspaces.filter((w) => !copied.has(w))).toEqual([]);
  });

  it('every file or directory compose bind-mounts exists, and named volumes are declared', () => {
    const { binds, named } = bindMounts(project);
    const repoBinds = binds.filter((b) => b.source.startsWith(paths.root()));
    expect(repoBinds.length).toBeGreaterThanOrEqual(5);
    for (const bind of repoBinds)
      expect(existsSync(bind.source), `${bind.service}: ${bind.source}`).toBe(true);
    for (const [service, volume] of named)
      expect(project.namedVolumes.has(volume), `${service}: volume ${volume}`).toBe(true);
  });

  it('every app a service runs exists and accepts the flags compose passes it', async () => {
    const invocations = services.flatMap((s) => {
      const build = buildOf(s);
      const invocation = build && appInvocation(s, build.dockerfile);
      return invocation ? [{ service: s.name, ...invocation }] : [];
    });
    expect(invocations.map((i) => i.service).sort()).toEqual(
      services
        .filter((s) => s.build)
        .map((s) => s.name)
        .sort(),
    );
    const problems: string[] = [];
    const helpOf = new Map<string, string>();
    for (const { service, app, flags } of invocations) {
      const main = join(paths.root(), 'apps', app, 'src/main.ts');
      if (!existsSync(main)) {
        problems.push(`${service}: apps/${app}/src/main.ts does not exist`);
        continue;
      }
      if (flags.length === 0) continue;
      if (!helpOf.has(app)) {
        const { stdout } = await run('npx', ['tsx', main, '--help'], { cwd: paths.root() });
        helpOf.set(app, stdout);
      }
      for (const flag of flags)
        if (!new RegExp(`${flag}\\b`).test(helpOf.get(app)!))
          problems.push(`${service}: ${app} has no ${flag}`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('every app Prometheus scrapes serves /metrics (createServiceMetrics, directly or through pipeline-service)', () => {
    const problems: string[] = [];
    for (const { job, target } of targets.filter((t) => t.job === 'streamtune')) {
      const service = project.services.get(target.split(':')[0]!);
      const build = service && buildOf(service);
      const app = service && build && appInvocation(service, build.dockerfile)?.app;
      if (!app) {
        problems.push(`${job}: ${target} runs no app of apps/`);
        continue;
      }
      const src = join(paths.root(), 'apps', app, 'src');
      const sources = existsSync(src)
        ? readdirSync(src, { recursive: true })
            .map(String)
            .filter((f) => f.endsWith('.ts'))
            .map((f) => readFileSync(join(src, f), 'utf8'))
            .join('\n')
        : '';
      if (!/createServiceMetrics|@streamtune\/pipeline-service/.test(sources))
        problems.push(`${target}: apps/${app} never starts a metrics server, so the target is down`);
    }
    expect(problems).toEqual([]);
  });

  it('named volumes of images that run as a non-root user are directories that user owns', () => {
    const problems: string[] = [];
    const { named } = bindMounts(project);
    for (const service of services) {
      const build = buildOf(service);
      if (!build || dockerfileUser(build.dockerfile) === 'root') continue;
      const owned = dockerfileChownedPaths(build.dockerfile);
      for (const volume of service.volumes ?? []) {
        const [source, target] =
          typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
        if (named.some(([s, v]) => s === service.name && v === source) && !owned.has(target!))
          problems.push(`${service.name}: ${source}:${target} is root-owned in the image`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('depends_on names existing services', () => {
    for (const service of services) {
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(project.services.has(dep), `${service.name} -> ${dep}`).toBe(true);
    }
  });
});

describe('Prometheus against compose', () => {
  it.each(['prometheus.yml', 'prometheus.local.yml'])('promtool check config passes on %s', async (file) => {
    const { stdout } = await run('/usr/bin/promtool', ['check', 'config', join(paths.prometheus(), file)]);
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('every scrape target is a compose service on a port that service listens on', () => {
    expect(targets.length).toBeGreaterThanOrEqual(7);
    for (const { job, target } of targets) {
      const [host, port] = target.split(':');
      const service = project.services.get(host!);
      expect(service, `${job}: ${target} is not a compose service`).toBeDefined();
      expect([...listeningPorts(service!)], `${job}: ${target}`).toContain(Number(port));
    }
  });

  it('every service that serves /metrics (METRICS_PORT) is scraped by the streamtune job', () => {
    const streamtune = new Set(targets.filter((t) => t.job === 'streamtune').map((t) => t.target));
    const serving = services.filter((s) => environmentOf(s).METRICS_PORT);
    expect(serving.length).toBe(5);
    for (const s of serving) expect(streamtune).toContain(`${s.name}:${environmentOf(s).METRICS_PORT}`);
  });

  it('the config and its rule files are mounted where prometheus looks for them', () => {
    const prometheus = project.services.get('prometheus')!;
    const configArg = [prometheus.command ?? []]
      .flat()
      .find((a) => a.startsWith('--config.file='))!
      .split('=')[1]!;
    const { binds } = bindMounts(project);
    const mounts = binds.filter((b) => b.service === 'prometheus');
    expect(mounts.find((m) => m.target === configArg)?.source).toBe(
      join(paths.prometheus(), 'prometheus.yml'),
    );
    for (const glob of promConfig.rule_files ?? []) {
      const dir = posix.join(posix.dirname(configArg), posix.dirname(glob));
      const mount = mounts.find((m) => m.target === dir);
      expect(mount, `rule files ${glob} (${dir}) are not mounted`).toBeDefined();
      expect(readdirSync(mount!.source).some((f) => f.endsWith('.yml'))).toBe(true);
    }
  });
});

describe('Grafana provisioning against compose', () => {
  const grafana = project.services.get('grafana')!;
  const mounts = bindMounts(project).binds.filter((b) => b.service === 'grafana');

  it('provisioning is mounted and its datasource points at the prometheus service and port', () => {
    const provisioning = mounts.find((m) => m.target === '/etc/grafana/provisioning');
    expect(provisioning?.source).toBe(paths.grafanaProvisioning());
    const ds = readYaml<{ datasources: Array<{ type: string; url: string }> }>(
      join(paths.grafanaProvisioning(), 'datasources/prometheus.yaml'),
    ).datasources[0]!;
    expect(ds.type).toBe('prometheus');
    const url = new URL(ds.url);
    const prometheus = project.services.get(url.hostname);
    expect(prometheus?.name).toBe('prometheus');
    expect([...listeningPorts(prometheus!)]).toContain(Number(url.port));
  });

  it('the dashboard provider reads the mounted dashboards/ and the home dashboard exists', () => {
    const provider = readYaml<{ providers: Array<{ options: { path: string } }> }>(
      join(paths.grafanaProvisioning(), 'dashboards/streamtune.yaml'),
    ).providers[0]!;
    const mount = mounts.find((m) => m.target === provider.options.path);
    expect(mount?.source).toBe(paths.dashboards());
    const home = environmentOf(grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(dirname(home)).toBe(provider.options.path);
    expect(existsSync(join(paths.dashboards(), basename(home)))).toBe(true);
  });
});
