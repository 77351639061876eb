import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortPair, startDelayProxy, type DelayProxy } from '@streamtune/testkit';
import { ROOT } from './processes';

export interface RttBroker {
  /** Direct listener: the load generator, the verifier and the bench's admin calls. */
  brokers: string;
  /** Through the delay proxy: what the services get, so their every connection is delayed. */
  serviceBrokers: string;
  proxy: DelayProxy;
  stop(): Promise<void>;
}

/**
 * A broker of the run's own with a second listener behind a delay proxy (RTT/2 each way).
 * The broker advertises the proxy's port on that listener, so a client that bootstraps
 * there is sent back to the proxy for every broker connection, and none bypasses the delay.
 * A shared broker (KAFKA_BROKERS, 9092) cannot be told to advertise a proxy, hence its own.
 */
export async function startRttBroker(rttMs: number, runDir: string): Promise<RttBroker> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStart(rttMs, runDir);
    } catch (err) {
      // free ports are probed, not held: another broker on the machine may take one first
      if (attempt >= 3) throw err;
      console.error(`bench: broker with a delay proxy did not start (attempt ${attempt}); new ports`);
    }
  }
}

async function tryStart(rttMs: number, runDir: string): Promise<RttBroker> {
  const port = await freePortPair();
  let proxiedPort = await freePort();
  while (proxiedPort === port + 1) proxiedPort = await freePort();
  const proxy = await startDelayProxy({ targetPort: proxiedPort, rttMs });
  mkdirSync(runDir, { recursive: true });
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_RUN_DIR: runDir,
    KAFKA_PROXIED_PORT: String(proxiedPort),
    KAFKA_PROXIED_ADVERTISED_PORT: String(proxy.port),
  };
  try {
    execFileSync(join(ROOT, 'infra/kafka/start.sh'), { env, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (err) {
    await proxy.close();
    throw err;
  }
  return {
    brokers: `127.0.0.1:${port}`,
    serviceBrokers: `127.0.0.1:${proxy.port}`,
    proxy,
    stop: async () => {
      execFileSync(join(ROOT, 'infra/kafka/stop.sh'), { env, stdio: 'ignore' });
      await proxy.close();
    },
  };
}
