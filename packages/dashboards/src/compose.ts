import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * compose.yaml and the files it includes, read with the `yaml` package as Compose reads
 * them: merge keys (`<<: *app`) resolved, and each included file's relative paths taken
 * from its own directory.
 */

export interface ComposeService {
  name: string;
  /** The file that defines it; relative paths in it start from its directory. */
  file: string;
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  ports?: Array<string | { target: number }>;
  expose?: Array<string | number>;
  environment?: Record<string, string | number> | string[];
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  command?: string | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: unknown;
}

export interface ComposeProject {
  files: string[];
  services: Map<string, ComposeService>;
  namedVolumes: Set<string>;
}

interface ComposeFile {
  include?: Array<string | { path: string | string[] }>;
  services?: Record<string, Omit<ComposeService, 'name' | 'file'>>;
  volumes?: Record<string, unknown>;
}

export function readYaml<T>(file: string): T {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as T;
}

export function loadCompose(rootFile: string): ComposeProject {
  const project: ComposeProject = { files: [], services: new Map(), namedVolumes: new Set() };
  const visit = (file: string) => {
    if (!existsSync(file)) throw new Error(`compose: ${file} (included) does not exist`);
    project.files.push(file);
    const doc = readYaml<ComposeFile>(file) ?? {};
    for (const include of doc.include ?? []) {
      const paths = typeof include === 'string' ? [include] : [include.path].flat();
      for (const path of paths) visit(resolve(dirname(file), path));
    }
    for (const [name, service] of Object.entries(doc.services ?? {})) {
      if (project.services.has(name)) throw new Error(`compose: service ${name} is defined twice`);
      project.services.set(name, { ...service, name, file });
    }
    for (const volume of Object.keys(doc.volumes ?? {})) project.namedVolumes.add(volume);
  };
  visit(rootFile);
  return project;
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((kv) => [kv.split('=')[0]!, kv.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/**
 * Ports the service listens on inside its container, as far as compose tells: published
 * and exposed ports, its METRICS_PORT, a Java agent's port in *_OPTS, and the image's
 * documented default for the exporters and servers it runs.
 */
export function listeningPorts(service: ComposeService): Set<number> {
  const ports = new Set<number>();
  for (const p of service.ports ?? []) {
    if (typeof p === 'object') ports.add(p.target);
    else ports.add(Number(String(p).split(':').at(-1)!.split('/')[0]));
  }
  for (const p of service.expose ?? []) ports.add(Number(String(p).split('/')[0]));
  const env = environmentOf(service);
  if (env.METRICS_PORT) ports.add(Number(env.METRICS_PORT));
  for (const [key, value] of Object.entries(env)) {
    const agent = key.endsWith('_OPTS') ? /-javaagent:[^=\s]+=(?:[^:\s]+:)?(\d+):/.exec(value) : null;
    if (agent) ports.add(Number(agent[1]));
  }
  const image = service.image?.split(':')[0];
  const imageDefaults: Record<string, number> = {
    'prom/node-exporter': 9100,
    'prom/prometheus': 9090,
    'grafana/grafana': 3000,
  };
  if (image && imageDefaults[image]) ports.add(imageDefaults[image]);
  return ports;
}

export interface BindMount {
  service: string;
  source: string;
  target: string;
}

/** Volumes that mount a host path (relative or absolute); named volumes are left out. */
export function bindMounts(project: ComposeProject): { binds: BindMount[]; named: Array<[string, string]> } {
  const binds: BindMount[] = [];
  const named: Array<[string, string]> = [];
  for (const service of project.services.values()) {
    for (const volume of service.volumes ?? []) {
      const [source, target] =
        typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target];
      if (!source || !target) continue;
      if (source.startsWith('.') || isAbsolute(source))
        binds.push({ service: service.name, source: resolve(dirname(service.file), source), target });
      else named.push([service.name, source]);
    }
  }
  return { binds, named };
}

/** The build context directory and Dockerfile of a service, resolved on disk. */
export function buildOf(service: ComposeService): { context: string; dockerfile: string } | undefined {
  if (!service.build) return undefined;
  const spec = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = resolve(dirname(service.file), spec.context);
  return { context, dockerfile: join(context, spec.dockerfile ?? 'Dockerfile') };
}

/** Host paths a Dockerfile COPYs or ADDs from its build context (stage copies excluded). */
export function dockerfileSources(dockerfile: string): string[] {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const sources: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const words = match[2]!.trim().split(/\s+/);
    if (words.some((w) => w.startsWith('--from'))) continue;
    const args = words.filter((w) => !w.startsWith('--'));
    sources.push(...args.slice(0, -1));
  }
  return sources;
}

/** The CMD of a Dockerfile's last stage, as one shell string. */
export function dockerfileCmd(dockerfile: string): string {
  const cmds = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .filter((l) => /^\s*CMD\s/i.test(l));
  const last = cmds.at(-1)?.replace(/^\s*CMD\s+/i, '') ?? '';
  try {
    return (JSON.parse(last) as string[]).join(' ');
  } catch {
    return last;
  }
}

export interface AppInvocation {
  app: string;
  flags: string[];
}

/**
 * Which app of apps/ a built service runs (`apps/<app>/dist/main.js`, the built app, or
 * `apps/<app>/src/main.ts` in its command, or in the
 * image's CMD with $APP from its environment) and the `--flags` it passes, on the command
 * line or as `<APP>_<FLAG>` environment variables.
 */
export function appInvocation(service: ComposeService, dockerfile: string): AppInvocation | undefined {
  const command = service.command ? [service.command].flat().join(' ') : dockerfileCmd(dockerfile);
  const env = environmentOf(service);
  const text = command.replace(/\$\{?APP\}?/g, env.APP ?? '$APP');
  const match = /apps\/([A-Za-z0-9_-]+)\/(?:src\/main\.ts|dist\/main\.js)((?:\s+\S+)*)/.exec(text);
  if (!match) return undefined;
  const app = match[1]!;
  const flags = (match[2] ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.startsWith('--'))
    .map((w) => w.split('=')[0]!);
  // The apps read every flag from <APP>_<FLAG> too (LOADGEN_RATE is --rate).
  const envPrefix = `${app.toUpperCase()}_`;
  for (const key of Object.keys(env).filter((k) => k.startsWith(envPrefix)))
    flags.push(`--${key.slice(envPrefix.length).toLowerCase().replace(/_/g, '-')}`);
  return { app, flags };
}

/** The user the image's last stage runs as; root when the Dockerfile never says. */
export function dockerfileUser(dockerfile: string): string {
  const users = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .filter((l) => /^\s*USER\s/i.test(l));
  return users.at(-1)?.trim().split(/\s+/)[1] ?? 'root';
}

/** Directories a Dockerfile hands to a user with `chown` in a RUN line. */
export function dockerfileChownedPaths(dockerfile: string): Set<string> {
  const paths = new Set<string>();
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  for (const line of text.split('\n').filter((l) => /^\s*RUN\s/i.test(l))) {
    for (const command of line.split(/&&|;/)) {
      const words = command.trim().split(/\s+/);
      const at = words.indexOf('chown');
      if (at < 0) continue;
      for (const word of words
        .slice(at + 1)
        .filter((w) => !w.startsWith('-'))
        .slice(1))
        paths.add(word);
    }
  }
  return paths;
}
