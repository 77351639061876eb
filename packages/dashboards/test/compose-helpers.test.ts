import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindMounts, buildOf, dockerfileSources, listeningPorts, loadCompose } from '../src/index';

/** The compose readers on small synthetic projects, so the real-file checks can be trusted. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-compose-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('compose readers', () => {
  const dir = project({
    'compose.yaml': 'include:\n  - infra/apps.yaml\n',
    'infra/apps.yaml': [
      'x-app: &app',
      '  build: { context: .., dockerfile: Dockerfile }',
      '  environment: &env { KAFKA_BROKERS: k:1 }',
      'services:',
      '  api:',
      '    <<: *app',
      "    environment: { <<: *env, METRICS_PORT: '9464' }",
      "    ports: ['8080:80', { target: 443 }]",
      "    volumes: ['./conf.yml:/etc/conf.yml:ro', 'data:/data']",
      '  broker:',
      '    image: apache/kafka:3.9.1',
      '    environment: { KAFKA_OPTS: "-javaagent:/a/agent.jar=9404:/etc/x.yaml" }',
      '  exporter:',
      '    image: prom/node-exporter:v1',
      'volumes:',
      '  data:',
    ].join('\n'),
    Dockerfile:
      'FROM node AS deps\nCOPY package.json a.json ./\nCOPY --from=deps /x /y\nADD --chown=1 src ./src\n',
  });
  const loaded = loadCompose(join(dir, 'compose.yaml'));

  it('follows includes and resolves merge keys', () => {
    expect([...loaded.services.keys()]).toEqual(['api', 'broker', 'exporter']);
    expect(buildOf(loaded.services.get('api')!)).toEqual({
      context: dir,
      dockerfile: join(dir, 'Dockerfile'),
    });
  });

  it('finds the ports a service listens on', () => {
    expect([...listeningPorts(loaded.services.get('api')!)].sort()).toEqual([443, 80, 9464].sort());
    expect([...listeningPorts(loaded.services.get('broker')!)]).toEqual([9404]);
    expect([...listeningPorts(loaded.services.get('exporter')!)]).toEqual([9100]);
  });

  it('resolves bind mounts from the including file and lists named volumes', () => {
    const { binds, named } = bindMounts(loaded);
    expect(binds).toEqual([{ service: 'api', source: join(dir, 'infra/conf.yml'), target: '/etc/conf.yml' }]);
    expect(named).toEqual([['api', 'data']]);
    expect(loaded.namedVolumes.has('data')).toBe(true);
  });

  it('lists what a Dockerfile copies from its context, not from other stages', () => {
    expect(dockerfileSources(join(dir, 'Dockerfile'))).toEqual(['package.json', 'a.json', 'src']);
  });

  it('names a missing included file', () => {
    const broken = project({ 'compose.yaml': 'include:\n  - nope.yaml\n' });
    expect(() => loadCompose(join(broken, 'compose.yaml'))).toThrow(/nope\.yaml \(included\) does not exist/);
  });
});
