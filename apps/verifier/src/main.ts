import { parseCli, usage } from './cli';
import { formatReport } from './print';
import { verify, VerifierError } from './verify';

let cli;
try {
  cli = parseCli(process.argv.slice(2));
} catch (err) {
  console.error(`verifier: ${(err as Error).message}\n\n${usage()}`);
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
  const report = await verify(cli.options, abort.signal);
  console.log(formatReport(report));
  if (cli.options.reportPath) console.log(`report: ${cli.options.reportPath}`);
  process.exit(report.verdict === 'pass' ? 0 : 1);
} catch (err) {
  console.error(
    `verifier: ${err instanceof VerifierError ? err.message : ((err as Error).stack ?? String(err))}`,
  );
  process.exit(2);
}
