import { EXIT_USAGE } from './errors';

export interface MainSpec<P extends { help: boolean }> {
  /** The prefix of its messages: `loadgen: ...`. */
  name: string;
  usage: () => string;
  /** Throws on a bad command line; whatever it throws is a usage error (exit 64). */
  parse: (argv: string[], env: NodeJS.ProcessEnv) => P;
  /**
   * The work. `signal` aborts on the first SIGINT or SIGTERM, so the app can stop cleanly.
   * A number is the exit code; nothing lets the process end on its own once idle.
   */
  run: (parsed: P, signal: AbortSignal) => Promise<number | void>;
  /** The exit code of an error the app expects (printed without its stack); undefined for others. */
  expectedError?: (error: unknown) => number | undefined;
  /** The exit code of any other error (default 1). */
  unexpectedExit?: number;
  /**
   * 'once' (default): a second Ctrl-C kills at once, as without a handler. 'keep': later
   * signals are ignored, for a parent that must stop its children in order.
   */
  repeatSignals?: 'once' | 'keep';
}

/**
 * An app's entry point: parse (usage and 64 on a bad command line, 0 on --help), run with
 * an AbortSignal tied to SIGINT/SIGTERM, and map errors to exit codes.
 */
export async function runMain<P extends { help: boolean }>(spec: MainSpec<P>): Promise<void> {
  let parsed: P;
  try {
    parsed = spec.parse(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${spec.name}: ${(error as Error).message}\n\n${spec.usage()}`);
    process.exit(EXIT_USAGE);
  }
  if (parsed.help) {
    console.log(spec.usage());
    process.exit(0);
  }
  const abort = new AbortController();
  const listen = spec.repeatSignals === 'keep' ? process.on.bind(process) : process.once.bind(process);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) listen(sig, () => abort.abort());
  let code: number | void;
  try {
    code = await spec.run(parsed, abort.signal);
  } catch (error) {
    const expected = spec.expectedError?.(error);
    const text =
      expected === undefined ? ((error as Error).stack ?? String(error)) : (error as Error).message;
    console.error(`${spec.name}: ${text}`);
    process.exit(expected ?? spec.unexpectedExit ?? 1);
  }
  if (code !== undefined) process.exit(code);
}
