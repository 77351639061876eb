import { resolve } from 'node:path';
import ts from 'typescript';
import { defineConfig } from 'vitest/config';

/**
 * @streamtune/* resolve to their sources, as tsconfig.base.json's `paths` say (typecheck and
 * tsx read the same list), so a test run needs no build step. Installed packages resolve to
 * their built dist/ through package.json `exports`.
 */
function sourceAliases() {
  const file = resolve(import.meta.dirname, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(`vitest.config: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const paths = (config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
  return Object.entries(paths).map(([name, [target]]) => ({
    find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
    replacement: resolve(import.meta.dirname, target!),
  }));
}

const sources = ['packages/*/{src,test}/**/', 'apps/*/{src,test}/**/', 'bench/test/**/'];

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // unit tests first: they fail fast, and need no broker
          sequence: { groupOrder: 0 },
          include: sources.map((s) => `${s}*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: sources.map((s) => `${s}*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testkit/src/broker/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // two cores: the broker, the test process and the apps under test (child processes
          // in the pipeline tests) already share them; a second test file in parallel only
          // makes timing-sensitive tests (rebalances, restores) slower, not the run faster
          maxWorkers: 1,
          // A failure that comes from the machine being starved (a session timeout, a broker
          // slow to elect a leader for a new topic) gets one more chance; a real bug fails
          // twice, and the summary still lists the retried test.
          retry: 1,
        },
      },
    ],
  },
});
