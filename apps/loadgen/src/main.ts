import { runMain } from '@streamtune/cli-kit';
import { parseCli, usage } from './cli';
import { LoadgenError, runLoadgen } from './run';

await runMain({
  name: 'loadgen',
  usage,
  parse: parseCli,
  expectedError: (err) => (err instanceof LoadgenError ? 2 : undefined),
  async run(cli, signal) {
    const summary = await runLoadgen(cli.plan, cli.run, signal);
    const produced = Object.values(summary.produced).reduce((a, b) => a + (b ?? 0), 0);
    console.error(
      `loadgen: ${produced} records for ${summary.measuredOrders} orders (+${summary.orders - summary.measuredOrders} drain), ` +
        `manifest ${cli.run.manifestPath}${summary.complete ? '' : ' (interrupted)'}`,
    );
  },
});
