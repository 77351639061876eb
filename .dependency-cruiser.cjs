/** The runtime's dependency direction (docs/architecture.md), checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'dsl-not-runtime',
      comment: 'The DSL builds a graph; it never reaches into the runtime, restore or the client.',
      severity: 'error',
      from: { path: '^packages/streams/src/dsl/' },
      to: { path: '^packages/streams/src/(runtime|restore|client)/' },
    },
    {
      name: 'runtime-not-dsl',
      severity: 'error',
      from: { path: '^packages/streams/src/runtime/' },
      to: { path: '^packages/streams/src/dsl/' },
    },
    {
      name: 'only-client-imports-kafkajs',
      severity: 'error',
      from: { path: '^packages/streams/src/', pathNot: '^packages/streams/src/client/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'only-leveldb-imports-classic-level',
      severity: 'error',
      from: { path: '^packages/streams/src/', pathNot: '^packages/streams/src/state/leveldb/' },
      to: { path: 'node_modules/classic-level/' },
    },
    {
      name: 'no-metrics-library-in-runtime',
      severity: 'error',
      from: { path: '^packages/streams/src/' },
      to: { path: 'node_modules/prom-client/' },
    },
    {
      name: 'state-holds-stores-only',
      comment:
        'state/ is stores only; opening, checkpoints and restore-or-wipe live in state-manager/, which imports state/ and restore/, never the reverse.',
      severity: 'error',
      from: { path: '^packages/streams/src/state/' },
      to: { path: '^packages/streams/src/(restore|state-manager|runtime)/' },
    },
    {
      name: 'restore-below-state-manager',
      severity: 'error',
      from: { path: '^packages/streams/src/restore/' },
      to: { path: '^packages/streams/src/(state-manager|runtime)/' },
    },
    {
      name: 'types-import-nothing',
      severity: 'error',
      from: { path: '^packages/streams/src/types/' },
      to: { path: '^packages/streams/src/(?!types/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
