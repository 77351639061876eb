import { runMain } from '@streamtune/cli-kit';
import { parseCli, usage } from './cli';
import { formatReport } from './print';
import { verify, VerifierError } from './verify';

await runMain({
  name: 'verifier',
  usage,
  parse: parseCli,
  expectedError: (err) => (err instanceof VerifierError ? 2 : undefined),
  unexpectedExit: 2,
  async run(cli, signal) {
    const report = await verify(cli.options, signal);
    console.log(formatReport(report));
    if (cli.options.reportPath) console.log(`report: ${cli.options.reportPath}`);
    return report.verdict === 'pass' ? 0 : 1;
  },
});
