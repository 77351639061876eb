import type { Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { runtimeMetrics } from './catalog/index';
import { closeServer, listen } from './http-server';
import { registerRuntimeMetrics } from './runtime-metrics';

const REDUNDANT_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export interface ServiceMetricsOptions {
  /** The service's name, e.g. `enricher`: the `service` label of every series. */
  service: string;
  /** This replica, e.g. the pod or host name: the `instance` label of every series. */
  instance: string;
  /** Port of the /metrics, /healthz and /readyz server; 0 picks a free one (see `port` on the result). */
  port: number;
  /** Interface to listen on; default 0.0.0.0 so a Prometheus in another container can scrape. */
  host?: string;
}

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly service: string;
  readonly instance: string;
  readonly host: string;
  /** The port the server listens on (the chosen one when `port: 0` was asked). */
  readonly port: number;
  /** `http://<host>:<port>`, for tests and logs. */
  readonly url: string;
  readonly ready: boolean;
  /** /readyz answers 200 from now on (instrumentStreams calls it when the client is RUNNING). */
  markReady(): void;
  markNotReady(reason?: string): void;
  /** /healthz answers 503 with the reason (instrumentStreams calls it when the client fails). */
  markUnhealthy(reason: string): void;
  markHealthy(): void;
  /** Stops the server and empties the registry. */
  close(): Promise<void>;
}

/**
 * One call per service: a registry whose every series carries `service` and `instance`,
 * prom-client's default metrics plus event-loop utilization and native memory,
 * and an HTTP server for /metrics, /healthz and /readyz.
 */
export async function createServiceMetrics(options: ServiceMetricsOptions): Promise<ServiceMetrics> {
  validate(options);
  const host = options.host ?? '0.0.0.0';
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, instance: options.instance });
  collectDefaultMetrics({ register: registry });
  // Gauges named *_total break the Prometheus naming rules (promtool rejects them), and
  // each is only the sum of its per-type sibling (nodejs_active_handles, ...): drop them.
  for (const name of REDUNDANT_DEFAULTS) registry.removeSingleMetric(name);
  registerRuntimeMetrics(registry);

  let ready = false;
  let notReadyReason = 'starting';
  let unhealthyReason: string | null = null;
  new Gauge({
    name: runtimeMetrics.ready.name,
    help: runtimeMetrics.ready.help,
    registers: [registry],
    collect() {
      this.set(ready ? 1 : 0);
    },
  });

  let server: Server;
  try {
    server = await listen(
      {
        metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
        healthz: () => (unhealthyReason ? { ok: false, body: unhealthyReason } : { ok: true, body: 'ok' }),
        readyz: () =>
          ready ? { ok: true, body: 'ready' } : { ok: false, body: `not ready: ${notReadyReason}` },
      },
      options.port,
      host,
    );
  } catch (error) {
    registry.clear();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    registry,
    service: options.service,
    instance: options.instance,
    host,
    port,
    url: `http://${urlHost}:${port}`,
    get ready() {
      return ready;
    },
    markReady() {
      ready = true;
    },
    markNotReady(reason = 'not ready') {
      ready = false;
      notReadyReason = reason;
    },
    markUnhealthy(reason) {
      unhealthyReason = reason;
    },
    markHealthy() {
      unhealthyReason = null;
    },
    async close() {
      if (!server.listening) return;
      await closeServer(server);
      registry.clear();
    },
  };
}

function validate(options: ServiceMetricsOptions): void {
  for (const key of ['service', 'instance'] as const) {
    if (typeof options[key] !== 'string' || options[key].trim() === '') {
      throw new Error(`@streamtune/metrics: '${key}' must be a non-empty string (it labels every series)`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(
      `@streamtune/metrics: 'port' must be an integer from 0 to 65535, got ${String(options.port)}`,
    );
  }
}
