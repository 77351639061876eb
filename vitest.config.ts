import { defineConfig } from 'vitest/config';

const sources = ['packages/*/{src,test}/**/', 'apps/*/{src,test}/**/'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // unit tests first: they fail fast, and need no broker
          sequence: { groupOrder: 0 },
          include: sources.map((s) => `${s}*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: sources.map((s) => `${s}*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testkit/src/broker/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // two cores: the broker, the test process and the apps under test share them
          maxWorkers: 2,
        },
      },
    ],
  },
});
