import { app, node, NODE_VARIABLE, rate, SERVICE_VARIABLES, type DashboardSpec } from '../grafana/build';
import {
  aggregate,
  maxOf,
  meanOf,
  query,
  quantileOf,
  sumOf,
  sumRate,
  timeseries,
  warnAt,
} from '../grafana/panels';

/** Sinks also write repartition topics; a join stage is a topic someone downstream reads. */
const NOT_REPARTITION = 'topic!~".*-repartition"';
const STAGE = '{{service}} → {{topic}}';
/** Final revenue windows written per second, by service. */
const REVENUE_WINDOWS = aggregate(
  'sum',
  'service',
  rate('streamtune_output_e2e_latency_seconds_count', app('topic=~".*warehouse-revenue"')),
);

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
        timeseries(
          'Input records processed per second, by service',
          'recps',
          'Records that went through their task topology. A flat line while lag grows means the service is the bottleneck.',
          [sumRate('service', 'streamtune_records_processed_total')],
        ),
        timeseries(
          'Output records per second, by join stage (output topic)',
          'recps',
          'Records the sinks wrote, per output topic: the throughput of each join stage.',
          [sumRate('service, topic', 'streamtune_output_e2e_latency_seconds_count', STAGE, app(NOT_REPARTITION))],
        ),
        timeseries(
          'p99 end-to-end latency, by join stage (output topic)',
          's',
          "Wall clock at the sink minus the record's timestamp: what a consumer of the topic waits. Compare the stages to see where latency is added.",
          [quantileOf(0.99, 'streamtune_output_e2e_latency_seconds', 'service, topic', STAGE, app(NOT_REPARTITION))],
          { thresholds: warnAt(1, 5) },
        ),
        timeseries(
          'Windowed aggregation: revenue windows emitted and late records dropped',
          'recps',
          'Final per-warehouse revenue windows written to warehouse-revenue (one per warehouse per window, once the window closes: suppress until window end + grace), and records that windowed operations dropped because their window had closed. Late drops mean the grace is too short for how out of order records arrive.',
          [
            query(REVENUE_WINDOWS, '{{service}} → warehouse-revenue'),
            // the drop counter has no series before the first late record: show 0 until then
            query(
              `${aggregate('sum', 'service, processor', rate('streamtune_dropped_records_total', app('reason="late"')))} or 0 * ${REVENUE_WINDOWS}`,
              '{{service}} {{processor}}: late, dropped',
            ),
          ],
        ),
        timeseries(
          'p99 end-to-end latency, by processor',
          's',
          'Latency when a record reaches each processor (sources, join sides, sinks); a jump between two processors locates the slow step.',
          [quantileOf(0.99, 'streamtune_record_e2e_latency_seconds', 'service, processor')],
          { thresholds: warnAt(1, 5) },
        ),
        timeseries(
          'Consumer lag, by service and input topic',
          'short',
          'Records between the high watermark and the position. Growing lag with flat throughput: the service cannot keep up.',
          [sumOf('service, topic', 'streamtune_consumer_lag_records')],
          { thresholds: warnAt(1000, 10000) },
        ),
        timeseries(
          'p99 process latency, by service',
          's',
          'Time to process one input record through its topology, forwards included: the CPU cost per record.',
          [quantileOf(0.99, 'streamtune_process_latency_seconds', 'service', '{{service}} p99 process')],
          { thresholds: warnAt(0.01, 0.1) },
        ),
      ],
    },
    {
      title: 'Commit and producer',
      panels: [
        timeseries(
          'Commits per second, by reason',
          'ops',
          'commitIntervalMs trades latency for throughput: each commit flushes the producer and stores and waits for acks.',
          [sumRate('service, reason', 'streamtune_commits_total')],
          { w: 8 },
        ),
        timeseries(
          'Transactions per second (exactly_once_v2) and the guarantee in effect',
          'ops',
          'Under exactly_once_v2 every task commits its outputs, changelog records and offsets in one transaction per commit interval (100 ms by default); aborts restart the stream thread and restore its tasks.',
          [
            sumRate('service', 'streamtune_transactions_committed_total', '{{service}} committed'),
            sumRate('service', 'streamtune_transactions_aborted_total', '{{service}} aborted'),
            maxOf('service, guarantee', 'streamtune_processing_guarantee'),
          ],
          { w: 8 },
        ),
        timeseries(
          'Transaction commit latency p99 (exactly_once_v2)',
          's',
          "One task's transaction: its producer flush, the offsets sent to the transaction, the commit.",
          [quantileOf(0.99, 'streamtune_transaction_commit_latency_seconds', 'service')],
          { w: 8 },
        ),
        timeseries(
          'Commit latency p99: whole commit and its phases',
          's',
          'A commit is producer flush, store flush and offset commit; the largest phase is the one to tune (linger/batch size, store write buffers, broker).',
          [
            quantileOf(0.99, 'streamtune_commit_latency_seconds', 'service', '{{service}} commit'),
            quantileOf(0.99, 'streamtune_commit_phase_latency_seconds', 'service, phase'),
          ],
          { w: 16, thresholds: warnAt(0.1, 1) },
        ),
        timeseries(
          'Producer batch size (mean bytes per batch)',
          'bytes',
          'Compare with producer.batchSize (16 KiB by default, the orange line): batches far below it mean requests are sent before they fill (linger too short).',
          [meanOf('streamtune_producer_batch_size_bytes', 'service')],
          { w: 8, thresholds: warnAt(16384) },
        ),
        timeseries(
          'Records per produce batch (mean)',
          'short',
          'Few records per batch means one request per handful of records: network round trips dominate.',
          [meanOf('streamtune_producer_batch_records', 'service')],
          { w: 8 },
        ),
        timeseries(
          'Producer request latency p99 and linger wait p99',
          's',
          'Request latency is the broker round trip; the queue time is how long records waited for linger/batch size before being sent.',
          [
            quantileOf(0.99, 'streamtune_producer_request_latency_seconds', 'service', '{{service}} request'),
            quantileOf(0.99, 'streamtune_producer_queue_time_seconds', 'service', '{{service}} queue'),
          ],
          { w: 8, thresholds: warnAt(0.05, 0.5) },
        ),
      ],
    },
    {
      title: 'Memory and state',
      panels: [
        timeseries(
          'RSS vs V8 heap vs native memory',
          'bytes',
          'RSS growing while the V8 heap stays flat is native memory: LevelDB write buffers and caches, not a JavaScript leak.',
          [
            sumOf('service', 'process_resident_memory_bytes', '{{service}} RSS'),
            sumOf('service', 'nodejs_heap_size_used_bytes', '{{service}} V8 heap used'),
            sumOf('service', 'nodejs_external_memory_bytes', '{{service}} external'),
            sumOf('service', 'streamtune_native_memory_bytes', '{{service}} native'),
          ],
          { w: 8 },
        ),
        timeseries(
          'State-store memory vs footprint budget',
          'bytes',
          "LevelDB's approximate memory against what the footprint formula predicts for the layout (partitions × segments × per-instance memory).",
          [
            sumOf('service', 'streamtune_store_approximate_memory_bytes', '{{service}} LevelDB approximate'),
            sumOf('service', 'streamtune_store_footprint_bytes', '{{service}} footprint (budget)'),
          ],
          { w: 8 },
        ),
        timeseries(
          'Restore progress',
          'short',
          'Changelog records left to restore and restores in progress; a service is not ready (/readyz) until both are 0.',
          [
            sumOf('service', 'streamtune_restore_remaining_records', '{{service}} remaining records'),
            sumOf('service', 'streamtune_restores_active', '{{service}} active restores'),
          ],
          { w: 8 },
        ),
      ],
    },
    {
      title: 'CPU, memory, network and disk',
      panels: [
        timeseries(
          'CPU: services and host (cores)',
          'suffix: cores',
          'CPU seconds per second of each service process and of the whole host (all modes but idle).',
          [
            sumRate('service', 'process_cpu_seconds_total'),
            sumRate('instance', 'node_cpu_seconds_total', 'host {{instance}}', node('mode!="idle"')),
          ],
        ),
        timeseries(
          'Event-loop utilization',
          'percentunit',
          'Fraction of time the event loop was busy: above ~90% the service is CPU bound.',
          [
            query(
              aggregate('max', 'service, instance', rate('streamtune_event_loop_active_seconds_total', app())),
              '{{service}} {{instance}}',
            ),
          ],
          { max: 1, thresholds: warnAt(0.7, 0.9) },
        ),
        timeseries(
          'Host memory',
          'bytes',
          'Memory in use (total minus available) against the total.',
          [
            query(
              `node_memory_MemTotal_bytes${node()} - node_memory_MemAvailable_bytes${node()}`,
              '{{instance}} used',
            ),
            query(`node_memory_MemTotal_bytes${node()}`, '{{instance}} total'),
          ],
          { w: 8 },
        ),
        timeseries(
          'Network IO',
          'Bps',
          'Bytes received and sent by the host, all devices (loopback carries the local demo).',
          [
            sumRate('instance', 'node_network_receive_bytes_total', '{{instance}} received', node()),
            sumRate('instance', 'node_network_transmit_bytes_total', '{{instance}} sent', node()),
          ],
          { w: 8 },
        ),
        timeseries(
          'Disk IO',
          'Bps',
          'Bytes read and written by the host: state stores, changelogs and the broker log.',
          [
            sumRate('instance', 'node_disk_read_bytes_total', '{{instance}} read', node()),
            sumRate('instance', 'node_disk_written_bytes_total', '{{instance}} written', node()),
          ],
          { w: 8 },
        ),
      ],
    },
  ],
};
