import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_PORTS } from '@streamtune/pipeline-service';
import type { ServiceName } from '@streamtune/reference-model';
import { describeExit, startProcess, Supervisor, tsxEntry } from '@streamtune/testkit/harness';
import type { DemoOptions } from './options';

export const SERVICES = ['checkout', 'fulfillment', 'marketing'] as const satisfies readonly ServiceName[];

export interface ServiceContext {
  root: string;
  runDir: string;
  logDir: string;
  brokers: string;
  /** Tells the run what happened (the live view's event lines and the report). */
  event: (line: string) => void;
}

/**
 * The three services, each under a Supervisor: one that exits unasked is started again on
 * the same metrics port, instance name and state directory (so it restores only what its
 * checkpoint does not cover), unless --restart-on-crash=false leaves it down.
 */
export function startServices(options: DemoOptions, ctx: ServiceContext): Map<ServiceName, Supervisor> {
  const supervisors = new Map<ServiceName, Supervisor>();
  for (const name of SERVICES) {
    const logPath = join(ctx.logDir, `${name}.log`);
    const start = (incarnation: number) => {
      if (incarnation > 0) appendFileSync(logPath, `\n[demo] restart ${incarnation} of ${name}\n`);
      return startProcess({
        name,
        ...tsxEntry(join(ctx.root, 'apps', name, 'src', 'main.ts')),
        cwd: ctx.root,
        group: true,
        logPath,
        env: {
          KAFKA_BROKERS: ctx.brokers,
          STREAMTUNE_PROFILE: options.profile,
          TOPIC_PREFIX: options.topicPrefix,
          METRICS_PORT: String(METRICS_PORTS[name]),
          STATE_DIR: join(ctx.runDir, 'state'),
          INSTANCE: `${name}-demo`,
          WINDOW_SCALE: String(options.windowScale),
        },
      });
    };
    const supervisor = new Supervisor(name, start, {
      restartOnCrash: options.restartOnCrash,
      onCrash: (crash) =>
        ctx.event(
          `${name} crashed (${describeExit(crash.status)}); ` +
            (crash.restarting
              ? 'restarting it on its state directory'
              : options.restartOnCrash
                ? 'it keeps crashing: left down'
                : 'left down (--restart-on-crash=false)') +
            `; log ${logPath}`,
        ),
    });
    supervisors.set(name, supervisor);
  }
  return supervisors;
}

/** What the view shows as a service's state when its own /metrics cannot say. */
export function supervisedState(s: Supervisor, scraped: string): string {
  return s.state === 'running' ? scraped : s.state;
}
