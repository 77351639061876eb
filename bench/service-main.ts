/**
 * Runs one reference-pipeline service for a benchmark: the app's own definition, with its
 * profiles read from BENCH_PROFILES_DIR when set (the bench writes sweep points there as
 * profile files that extend the app's baseline), so a sweep changes one knob without new
 * files in apps/. Usage: tsx bench/service-main.ts checkout|fulfillment|marketing
 */
import { main, type ServiceDefinition } from '@streamtune/pipeline-service';
import { checkout } from '../apps/checkout/src/service';
import { fulfillment } from '../apps/fulfillment/src/service';
import { marketing } from '../apps/marketing/src/service';

const services: Record<string, ServiceDefinition> = { checkout, fulfillment, marketing };
const name = process.argv[2] ?? '';
const definition = services[name];
if (!definition) {
  console.error(`bench service: unknown service "${name}" (checkout, fulfillment, marketing)`);
  process.exit(64);
}
const dir = process.env.BENCH_PROFILES_DIR;
main(dir ? { ...definition, profilesDir: dir } : definition);
