import { afterEach, describe, expect, it } from 'vitest';
import { createServiceMetrics, type ServiceMetrics } from '../src/index';
import { emitAll, instrumented } from './helpers';

const open: ServiceMetrics[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

async function service(port = 0): Promise<ServiceMetrics> {
  const metrics = await createServiceMetrics({
    service: 'enricher',
    instance: 'pod-a',
    port,
    host: '127.0.0.1',
  });
  open.push(metrics);
  return metrics;
}

describe('metrics HTTP server', () => {
  it('serves the exposition with service and instance on every series', async () => {
    const metrics = await service();
    const response = await fetch(`${metrics.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    const samples = body.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(20);
    for (const sample of samples) expect(sample).toContain('service="enricher",instance="pod-a"');
    expect(body).toMatch(/^streamtune_native_memory_bytes\{[^}]*\} [1-9]/m);
    expect(body).toMatch(/^streamtune_event_loop_utilization\{/m);
    expect(body).toMatch(/^process_resident_memory_bytes\{/m);
  });

  it('answers 404 for any other path and 405 for other methods', async () => {
    const metrics = await service();
    for (const path of ['/', '/metric', '/metrics/extra', '/favicon.ico', '/healthz/x', '/../etc/passwd']) {
      const response = await fetch(`${metrics.url}${path}`);
      expect(response.status, path).toBe(404);
    }
    expect((await fetch(`${metrics.url}/metrics?x=1`)).status).toBe(200);
    const post = await fetch(`${metrics.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('fails clearly when the port is taken, naming the port', async () => {
    const first = await service();
    await expect(
      createServiceMetrics({ service: 'enricher', instance: 'pod-b', port: first.port, host: '127.0.0.1' }),
    ).rejects.toThrow(new RegExp(`port ${first.port} is already in use`));
    // the first server keeps serving
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });

  it('rejects bad options before listening', async () => {
    await expect(createServiceMetrics({ service: '', instance: 'x', port: 0 })).rejects.toThrow(/'service'/);
    await expect(createServiceMetrics({ service: 's', instance: 'x', port: 70000 })).rejects.toThrow(
      /'port'/,
    );
  });

  it('is ready only once told, healthy until told otherwise', async () => {
    const metrics = await service();
    const readyz = await fetch(`${metrics.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toMatch(/not ready/);
    expect((await fetch(`${metrics.url}/healthz`)).status).toBe(200);
    metrics.markReady();
    expect((await fetch(`${metrics.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${metrics.url}/metrics`)).text()).toMatch(/^streamtune_ready\{[^}]*\} 1$/m);
    metrics.markUnhealthy('store directory lost');
    const healthz = await fetch(`${metrics.url}/healthz`);
    expect(healthz.status).toBe(503);
    expect(await healthz.text()).toContain('store directory lost');
  });

  it('frees the port on close', async () => {
    const first = await service();
    const port = first.port;
    await first.close();
    open.splice(open.indexOf(first), 1);
    const again = await service(port);
    expect(again.port).toBe(port);
  });
});

describe('readiness from the streams client', () => {
  it('becomes ready when RUNNING with no restore in progress, and not ready on shutdown', async () => {
    const { metrics, events } = await instrumented();
    open.push(metrics);
    const taskId = { subtopology: 0, partition: 0 };
    events.emit('state.change', { from: 'CREATED', to: 'REBALANCING' });
    events.emit('restore.start', { taskId, store: 's', changelog: 'c', partition: 0, toRestore: 5 });
    events.emit('state.change', { from: 'REBALANCING', to: 'RUNNING' });
    expect(metrics.ready).toBe(false);
    expect(await (await fetch(`${metrics.url}/readyz`)).text()).toMatch(/restoring 1 store/);
    events.emit('restore.end', { taskId, store: 's', restored: 5, durationMs: 10 });
    expect(metrics.ready).toBe(true);
    expect((await fetch(`${metrics.url}/readyz`)).status).toBe(200);
    // a later rebalance does not flip readiness; shutting down does
    events.emit('state.change', { from: 'RUNNING', to: 'REBALANCING' });
    expect(metrics.ready).toBe(true);
    events.emit('state.change', { from: 'REBALANCING', to: 'PENDING_SHUTDOWN' });
    expect(metrics.ready).toBe(false);
  });

  it('is not ready during the first rebalance and unhealthy in ERROR', async () => {
    const { metrics, events } = await instrumented();
    open.push(metrics);
    events.emit('state.change', { from: 'CREATED', to: 'REBALANCING' });
    expect(metrics.ready).toBe(false);
    emitAll(events); // ends RUNNING, restore started and ended
    expect(metrics.ready).toBe(true);
    events.emit('state.change', { from: 'RUNNING', to: 'PENDING_ERROR' });
    const healthz = await fetch(`${metrics.url}/healthz`);
    expect(healthz.status).toBe(503);
    expect(await healthz.text()).toMatch(/PENDING_ERROR/);
    expect(metrics.ready).toBe(false);
  });
});
