import {
  app,
  mean,
  node,
  NODE_VARIABLE,
  quantile,
  rate,
  SERVICE_VARIABLES,
  type DashboardSpec,
} from '../grafana/build';

/** Sinks also write repartition topics; a join stage is a topic someone downstream reads. */
const NOT_REPARTITION = 'topic!~".*-repartition"';

/**
 * The one place to find the bottleneck (the "App Dashboard" of the tuning journey):
 * throughput and latency first, then the stages that add latency (commit, producer),
 * then memory, then the machine.
 */
export const appOverview: DashboardSpec = {
  uid: 'streamtune-app-overview',
  title: 'streamtune / App overview',
  description:
    'Throughput and p99 latency per service and join stage, lag, commit and producer costs, memory (RSS, V8 heap, native, state stores), restore, CPU, network and disk.',
  tags: ['overview'],
  variables: [...SERVICE_VARIABLES, NODE_VARIABLE],
  rows: [
    {
      title: 'Throughput and latency',
      panels: [
        {
          title: 'Input records processed per second, by service',
          description:
            'Records that went through their task topology. A flat line while lag grows means the service is the bottleneck.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (service) (${rate('streamtune_records_processed_total', app())})`,
              legend: '{{service}}',
            },
          ],
        },
        {
          title: 'Output records per second, by join stage (output topic)',
          description: 'Records the sinks wrote, per output topic: the throughput of each join stage.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (service, topic) (${rate('streamtune_output_e2e_latency_seconds_count', app(NOT_REPARTITION))})`,
              legend: '{{service}} → {{topic}}',
            },
          ],
        },
        {
          title: 'p99 end-to-end latency, by join stage (output topic)',
          description:
            "Wall clock at the sink minus the record's timestamp: what a consumer of the topic waits. Compare the stages to see where latency is added.",
          unit: 's',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 1],
            ['red', 5],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_output_e2e_latency_seconds', app(NOT_REPARTITION), [
                'service',
                'topic',
              ]),
              legend: '{{service}} → {{topic}}',
            },
          ],
        },
        {
          title: 'Windowed aggregation: revenue windows emitted and late records dropped',
          description:
            'Final per-warehouse revenue windows written to warehouse-revenue (one per warehouse per window, once the window closes: suppress until window end + grace), and records that windowed operations dropped because their window had closed. Late drops mean the grace is too short for how out of order records arrive.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (service) (${rate('streamtune_output_e2e_latency_seconds_count', app('topic=~".*warehouse-revenue"'))})`,
              legend: '{{service}} → warehouse-revenue',
            },
            {
              // the drop counter has no series before the first late record: show 0 until then
              expr: `sum by (service, processor) (${rate('streamtune_dropped_records_total', app('reason="late"'))}) or 0 * sum by (service) (${rate('streamtune_output_e2e_latency_seconds_count', app('topic=~".*warehouse-revenue"'))})`,
              legend: '{{service}} {{processor}}: late, dropped',
            },
          ],
        },
        {
          title: 'p99 end-to-end latency, by processor',
          description:
            'Latency when a record reaches each processor (sources, join sides, sinks); a jump between two processors locates the slow step.',
          unit: 's',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 1],
            ['red', 5],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_record_e2e_latency_seconds', app(), ['service', 'processor']),
              legend: '{{service}} {{processor}}',
            },
          ],
        },
        {
          title: 'Consumer lag, by service and input topic',
          description:
            'Records between the high watermark and the position. Growing lag with flat throughput: the service cannot keep up.',
          unit: 'short',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 1000],
            ['red', 10000],
          ],
          queries: [
            {
              expr: 'sum by (service, topic) (streamtune_consumer_lag_records' + app() + ')',
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'p99 process latency, by service',
          description:
            'Time to process one input record through its topology, forwards included: the CPU cost per record.',
          unit: 's',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 0.01],
            ['red', 0.1],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_process_latency_seconds', app(), ['service']),
              legend: '{{service}} p99 process',
            },
          ],
        },
      ],
    },
    {
      title: 'Commit and producer',
      panels: [
        {
          title: 'Commits per second, by reason',
          description:
            'commitIntervalMs trades latency for throughput: each commit flushes the producer and stores and waits for acks.',
          unit: 'ops',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, reason) (${rate('streamtune_commits_total', app())})`,
              legend: '{{service}} {{reason}}',
            },
          ],
        },
        {
          title: 'Transactions per second (exactly_once_v2) and the guarantee in effect',
          description:
            'Under exactly_once_v2 every task commits its outputs, changelog records and offsets in one transaction per commit interval (100 ms by default); aborts restart the stream thread and restore its tasks.',
          unit: 'ops',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service) (${rate('streamtune_transactions_committed_total', app())})`,
              legend: '{{service}} committed',
            },
            {
              expr: `sum by (service) (${rate('streamtune_transactions_aborted_total', app())})`,
              legend: '{{service}} aborted',
            },
            {
              expr: `max by (service, guarantee) (streamtune_processing_guarantee${app()})`,
              legend: '{{service}} {{guarantee}}',
            },
          ],
        },
        {
          title: 'Transaction commit latency p99 (exactly_once_v2)',
          description:
            "One task's transaction: its producer flush, the offsets sent to the transaction, the commit.",
          unit: 's',
          min: 0,
          w: 8,
          queries: [
            {
              expr: quantile(0.99, 'streamtune_transaction_commit_latency_seconds', app(), ['service']),
              legend: '{{service}}',
            },
          ],
        },
        {
          title: 'Commit latency p99: whole commit and its phases',
          description:
            'A commit is producer flush, store flush and offset commit; the largest phase is the one to tune (linger/batch size, store write buffers, broker).',
          unit: 's',
          min: 0,
          w: 16,
          thresholds: [
            ['green', null],
            ['orange', 0.1],
            ['red', 1],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_commit_latency_seconds', app(), ['service']),
              legend: '{{service}} commit',
            },
            {
              expr: quantile(0.99, 'streamtune_commit_phase_latency_seconds', app(), ['service', 'phase']),
              legend: '{{service}} {{phase}}',
            },
          ],
        },
        {
          title: 'Producer batch size (mean bytes per batch)',
          description:
            'Compare with producer.batchSize (16 KiB by default, the orange line): batches far below it mean requests are sent before they fill (linger too short).',
          unit: 'bytes',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 16384],
          ],
          queries: [
            { expr: mean('streamtune_producer_batch_size_bytes', app(), ['service']), legend: '{{service}}' },
          ],
        },
        {
          title: 'Records per produce batch (mean)',
          description:
            'Few records per batch means one request per handful of records: network round trips dominate.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            { expr: mean('streamtune_producer_batch_records', app(), ['service']), legend: '{{service}}' },
          ],
        },
        {
          title: 'Producer request latency p99 and linger wait p99',
          description:
            'Request latency is the broker round trip; the queue time is how long records waited for linger/batch size before being sent.',
          unit: 's',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.05],
            ['red', 0.5],
          ],
          queries: [
            {
              expr: quantile(0.99, 'streamtune_producer_request_latency_seconds', app(), ['service']),
              legend: '{{service}} request',
            },
            {
              expr: quantile(0.99, 'streamtune_producer_queue_time_seconds', app(), ['service']),
              legend: '{{service}} queue',
            },
          ],
        },
      ],
    },
    {
      title: 'Memory and state',
      panels: [
        {
          title: 'RSS vs V8 heap vs native memory',
          description:
            'RSS growing while the V8 heap stays flat is native memory: LevelDB write buffers and caches, not a JavaScript leak.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            { expr: `sum by (service) (process_resident_memory_bytes${app()})`, legend: '{{service}} RSS' },
            {
              expr: `sum by (service) (nodejs_heap_size_used_bytes${app()})`,
              legend: '{{service}} V8 heap used',
            },
            {
              expr: `sum by (service) (nodejs_external_memory_bytes${app()})`,
              legend: '{{service}} external',
            },
            {
              expr: `sum by (service) (streamtune_native_memory_bytes${app()})`,
              legend: '{{service}} native',
            },
          ],
        },
        {
          title: 'State-store memory vs footprint budget',
          description:
            "LevelDB's approximate memory against what the footprint formula predicts for the layout (partitions × segments × per-instance memory).",
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service) (streamtune_store_approximate_memory_bytes${app()})`,
              legend: '{{service}} LevelDB approximate',
            },
            {
              expr: `sum by (service) (streamtune_store_footprint_bytes${app()})`,
              legend: '{{service}} footprint (budget)',
            },
          ],
        },
        {
          title: 'Restore progress',
          description:
            'Changelog records left to restore and restores in progress; a service is not ready (/readyz) until both are 0.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service) (streamtune_restore_remaining_records${app()})`,
              legend: '{{service}} remaining records',
            },
            {
              expr: `sum by (service) (streamtune_restores_active${app()})`,
              legend: '{{service}} active restores',
            },
          ],
        },
      ],
    },
    {
      title: 'CPU, memory, network and disk',
      panels: [
        {
          title: 'CPU: services and host (cores)',
          description:
            'CPU seconds per second of each service process and of the whole host (all modes but idle).',
          unit: 'suffix: cores',
          min: 0,
          queries: [
            {
              expr: `sum by (service) (${rate('process_cpu_seconds_total', app())})`,
              legend: '{{service}}',
            },
            {
              expr: `sum by (instance) (${rate('node_cpu_seconds_total', node('mode!="idle"'))})`,
              legend: 'host {{instance}}',
            },
          ],
        },
        {
          title: 'Event-loop utilization',
          description: 'Fraction of time the event loop was busy: above ~90% the service is CPU bound.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: [
            ['green', null],
            ['orange', 0.7],
            ['red', 0.9],
          ],
          queries: [
            {
              expr: `max by (service, instance) (${rate('streamtune_event_loop_active_seconds_total', app())})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
        {
          title: 'Host memory',
          description: 'Memory in use (total minus available) against the total.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `node_memory_MemTotal_bytes${node()} - node_memory_MemAvailable_bytes${node()}`,
              legend: '{{instance}} used',
            },
            { expr: `node_memory_MemTotal_bytes${node()}`, legend: '{{instance}} total' },
          ],
        },
        {
          title: 'Network IO',
          description: 'Bytes received and sent by the host, all devices (loopback carries the local demo).',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance) (${rate('node_network_receive_bytes_total', node())})`,
              legend: '{{instance}} received',
            },
            {
              expr: `sum by (instance) (${rate('node_network_transmit_bytes_total', node())})`,
              legend: '{{instance}} sent',
            },
          ],
        },
        {
          title: 'Disk IO',
          description: 'Bytes read and written by the host: state stores, changelogs and the broker log.',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance) (${rate('node_disk_read_bytes_total', node())})`,
              legend: '{{instance}} read',
            },
            {
              expr: `sum by (instance) (${rate('node_disk_written_bytes_total', node())})`,
              legend: '{{instance}} written',
            },
          ],
        },
      ],
    },
  ],
};
