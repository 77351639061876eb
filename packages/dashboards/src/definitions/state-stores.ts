import {
  app,
  quantile,
  quantileSinceStart,
  rate,
  SERVICE_VARIABLES,
  type DashboardSpec,
} from '../grafana/build';

/** Stores (memory against the footprint formula, disk, segments, latency) and restore. */
export const stateStores: DashboardSpec = {
  uid: 'streamtune-state-stores',
  title: 'streamtune / State stores and restore',
  description:
    "LevelDB memory against the footprint formula's budget, instances, segments, disk and operation latency per store; restore progress, rate and duration.",
  tags: ['state'],
  variables: SERVICE_VARIABLES,
  rows: [
    {
      title: 'Memory',
      panels: [
        {
          title: 'LevelDB approximate memory, by store',
          description:
            "leveldb.approximate-memory-usage summed over a store's instances (tasks × segments): memtables and block cache.",
          unit: 'bytes',
          min: 0,
          queries: [
            {
              expr: `sum by (service, store) (streamtune_store_approximate_memory_bytes${app()})`,
              legend: '{{service}} {{store}}',
            },
          ],
        },
        {
          title: 'Store memory as a fraction of the footprint budget',
          description:
            'Approximate memory of all stores over what the footprint formula budgets for the layout: above 1 the formula under-estimates.',
          unit: 'percentunit',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 0.8],
            ['red', 1],
          ],
          queries: [
            {
              expr: `sum by (service, instance) (streamtune_store_approximate_memory_bytes${app()}) / on (service, instance) sum by (service, instance) (streamtune_store_footprint_bytes${app()})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
        {
          title: 'Record caches: held and limit',
          description:
            'What the record caches in front of the stores hold (recent windows, writes waiting for the commit) against stateStore.cacheMaxBytes; at the limit they write back and evict the oldest records, and reads of older data go to LevelDB.',
          unit: 'bytes',
          min: 0,
          queries: [
            {
              expr: `sum by (service, store) (streamtune_store_cache_bytes${app()})`,
              legend: '{{service}} {{store}}',
            },
            {
              expr: `max by (service) (streamtune_store_cache_max_bytes${app()})`,
              legend: '{{service}} limit',
            },
          ],
        },
        {
          title: 'Footprint formula: budget and instances, by layout',
          description:
            "per-segment: partitions × segments × stores LevelDB instances (Kafka Streams' RocksDB layout); per-task: one instance per task.",
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, layout) (streamtune_store_footprint_bytes${app()})`,
              legend: '{{service}} {{layout}} budget',
            },
          ],
        },
        {
          title: 'Open LevelDB instances, by store',
          description: 'Each instance has its own write buffer and cache: the count drives native memory.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, store) (streamtune_store_open_instances${app()})`,
              legend: '{{service}} {{store}}',
            },
            {
              expr: `sum by (service, layout) (streamtune_store_footprint_instances${app()})`,
              legend: '{{service}} counted by the formula ({{layout}})',
            },
          ],
        },
        {
          title: 'Live segments, by store',
          description: 'Segments of windowed stores per task (retention / segment interval + 1 at most).',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `max by (service, store) (streamtune_store_segments${app()})`,
              legend: '{{service}} {{store}} (max per task)',
            },
          ],
        },
      ],
    },
    {
      title: 'Disk and operations',
      panels: [
        {
          title: 'On-disk size, by store',
          description: 'Size of the store directories; it should level off at the retention.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, store) (streamtune_store_disk_usage_bytes${app()})`,
              legend: '{{service}} {{store}}',
            },
          ],
        },
        {
          title: 'Store operations per second, by store and operation',
          description: 'put, fetch, delete and flush calls on the metered stores.',
          unit: 'ops',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, store, op) (${rate('streamtune_store_operation_latency_seconds_count', app())})`,
              legend: '{{service}} {{store}} {{op}}',
            },
          ],
        },
        {
          title: 'Store operation latency p99, by store and operation',
          description: 'A slow put or fetch shows up directly in process latency.',
          unit: 's',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.001],
            ['red', 0.01],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_store_operation_latency_seconds', app(), [
                'service',
                'store',
                'op',
              ]),
              legend: '{{service}} {{store}} {{op}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Restore',
      panels: [
        {
          title: 'Records left to restore, by store and task',
          description: 'Changelog records still to replay; 0 once the store is restored.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum by (service, store, task) (streamtune_restore_remaining_records${app()})`,
              legend: '{{service}} {{store}} {{task}}',
            },
          ],
        },
        {
          title: 'Records restored per second, by store',
          description:
            'Changelog records written into stores; compare with the records processed per second.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (service, store) (${rate('streamtune_restore_records_total', app())})`,
              legend: '{{service}} {{store}}',
            },
          ],
        },
        {
          title: 'Restore rate since start, by store',
          description: 'Records per second of each restore, averaged since it started.',
          unit: 'recps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `max by (service, store) (streamtune_restore_rate_records_per_second${app()})`,
              legend: '{{service}} {{store}}',
            },
          ],
        },
        {
          title: 'Restore duration p99 since start, by store',
          description:
            'Time to restore a store of a task from its changelog: how long a new or moved task waits.',
          unit: 's',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 30],
            ['red', 300],
          ],
          queries: [
            {
              expr: quantileSinceStart(0.99, 'streamtune_restore_duration_seconds', app(), [
                'service',
                'store',
              ]),
              legend: '{{service}} {{store}}',
            },
          ],
        },
        {
          title: 'Restores in progress and readiness',
          description:
            'Restores running now, and whether /readyz answers 200 (1) — it does not while restoring.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service) (streamtune_restores_active${app()})`,
              legend: '{{service}} restoring',
            },
            { expr: `min by (service) (streamtune_ready${app()})`, legend: '{{service}} ready' },
          ],
        },
      ],
    },
  ],
};
