import { createServer, connect, type Server, type Socket } from 'node:net';
import { DelayQueue } from './delay-queue';

export interface DelayProxyOptions {
  /** Where connections go (a broker listener). */
  targetHost?: string;
  targetPort: number;
  /** The round-trip time to add; half of it each way unless the one-way delays are given. */
  rttMs?: number;
  /** Client → target, in ms. */
  upstreamDelayMs?: number;
  /** Target → client, in ms. */
  downstreamDelayMs?: number;
  /** Listen here (0 or unset: a free port). A broker that advertises the proxy needs the port fixed. */
  listenPort?: number;
  listenHost?: string;
}

export interface DelayProxy {
  readonly port: number;
  readonly upstreamDelayMs: number;
  readonly downstreamDelayMs: number;
  /** Connections accepted so far (a check that clients really went through it). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy that adds latency, for networks that loopback does not have: the machines'
 * kernel has no netem qdisc, so `tc` cannot delay packets. Every accepted connection is
 * forwarded to the target with each direction's bytes held for its delay. Kafka clients
 * follow the addresses in metadata, so the broker must advertise the proxy's port on the
 * listener the proxy forwards to (infra/kafka/start.sh: KAFKA_PROXIED_PORT).
 */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const half = (options.rttMs ?? 0) / 2;
  const upstreamDelayMs = options.upstreamDelayMs ?? half;
  const downstreamDelayMs = options.downstreamDelayMs ?? half;
  if (!(upstreamDelayMs >= 0 && downstreamDelayMs >= 0))
    throw new Error(`delay proxy: delays must be >= 0, got ${upstreamDelayMs}/${downstreamDelayMs}`);
  const open = new Set<{ client: Socket; target: Socket; queues: DelayQueue[] }>();
  let connections = 0;
  const server: Server = createServer({ noDelay: true }, (client) => {
    connections++;
    // held until the target answers: the queues read from `client` from the first byte
    const target = connect({
      host: options.targetHost ?? '127.0.0.1',
      port: options.targetPort,
      noDelay: true,
    });
    const conn = {
      client,
      target,
      queues: [
        new DelayQueue(client, target, upstreamDelayMs),
        new DelayQueue(target, client, downstreamDelayMs),
      ],
    };
    open.add(conn);
    const teardown = () => {
      if (!open.delete(conn)) return;
      conn.queues.forEach((q) => q.close());
      client.destroy();
      target.destroy();
    };
    // a reset or an error on either side ends both: a proxy that keeps half a connection
    // alive would hide the failure from the client
    client.on('error', teardown).on('close', teardown);
    target.on('error', teardown).on('close', teardown);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    upstreamDelayMs,
    downstreamDelayMs,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of open) {
          c.client.destroy();
          c.target.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
