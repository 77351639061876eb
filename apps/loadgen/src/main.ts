import { parseCli, usage } from './cli';
import { LoadgenError, runLoadgen } from './run';

let cli;
try {
  cli = parseCli(process.argv.slice(2));
} catch (err) {
  console.error(`loadgen: ${(err as Error).message}\n\n${usage()}`);
  process.exit(64);
}
if (cli.help) {
  console.log(usage());
  process.exit(0);
}
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());
try {
  const summary = await runLoadgen(cli.plan, cli.run, abort.signal);
  const produced = Object.values(summary.produced).reduce((a, b) => a + (b ?? 0), 0);
  console.error(
    `loadgen: ${produced} records for ${summary.measuredOrders} orders (+${summary.orders - summary.measuredOrders} drain), ` +
      `manifest ${cli.run.manifestPath}${summary.complete ? '' : ' (interrupted)'}`,
  );
} catch (err) {
  console.error(
    `loadgen: ${err instanceof LoadgenError ? err.message : ((err as Error).stack ?? String(err))}`,
  );
  process.exit(err instanceof LoadgenError ? 2 : 1);
}
