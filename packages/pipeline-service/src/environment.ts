import { hostname } from 'node:os';
import { z } from 'zod';

/** The environment every service reads; compose and the local demo set the same variables. */
const environmentSchema = z.object({
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
  STREAMTUNE_PROFILE: z.string().default('baseline'),
  /** Isolates a run's topics and application ids on a shared broker (tests, benchmarks). */
  TOPIC_PREFIX: z.string().default(''),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  STATE_DIR: z.string().default('.state'),
  INSTANCE: z.string().default(`${hostname()}-${process.pid}`),
  /** Multiplies every join window and grace; short test runs use a fraction. */
  WINDOW_SCALE: z.coerce.number().positive().default(1),
  /** JSON in a profile file's shape, applied on top of the profile (see applyProfileOverrides). */
  PROFILE_OVERRIDES: z.string().optional(),
});

export type ServiceEnvironment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceEnvironment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
