import { app, quantileSinceStart, SERVICE_VARIABLES, type DashboardSpec } from '../grafana/build';
import {
  maxOf,
  meanOf,
  quantileOf,
  query,
  stat,
  steps,
  sumOf,
  sumRate,
  timeseries,
  warnAt,
} from '../grafana/panels';

/** The p50 and p99 of a histogram family per service. */
function p50p99(family: string, suffix = ''): ReturnType<typeof quantileOf>[] {
  return [
    quantileOf(0.5, family, 'service', `{{service}} p50${suffix}`),
    quantileOf(0.99, family, 'service', `{{service}} p99${suffix}`),
  ];
}

/** The consumer, producer, commit and processing detail behind the App overview. */
export const kafkaClients: DashboardSpec = {
  uid: 'streamtune-kafka-clients',
  title: 'streamtune / Kafka clients',
  description:
    'Consumer fetches, lag and rebalances; producer requests, batches and buffer; commits and their phases; dropped and dead-lettered records.',
  tags: ['clients'],
  variables: SERVICE_VARIABLES,
  rows: [
    {
      title: 'Consumer',
      panels: [
        timeseries(
          'Records fetched per second, by topic',
          'recps',
          'Records returned by fetches, per input topic.',
          [sumRate('service, topic', 'streamtune_consumer_records_fetched_total')],
          { w: 8 },
        ),
        timeseries(
          'Bytes fetched per second, by topic',
          'Bps',
          'Bytes of records returned by fetches.',
          [sumRate('service, topic', 'streamtune_consumer_fetched_bytes_total')],
          { w: 8 },
        ),
        timeseries(
          'Fetched batches per second and records per batch',
          'short',
          'Many small batches per second mean fetches return early (fetchMinBytes/fetchMaxWaitMs); the mean is records per partition batch.',
          [
            sumRate('service', 'streamtune_consumer_fetches_total', '{{service}} batches/s'),
            meanOf('streamtune_consumer_records_per_fetch', 'service', '{{service}} records per batch'),
          ],
          { w: 8 },
        ),
        timeseries(
          'Consumer lag, by topic and partition',
          'short',
          'One line per input partition: a single lagging partition points at a hot key or a slow task.',
          [
            sumOf(
              'service, topic, partition',
              'streamtune_consumer_lag_records',
              '{{service}} {{topic}}-{{partition}}',
            ),
          ],
          { thresholds: warnAt(1000, 10000) },
        ),
        timeseries(
          'Stream-time lag, by task',
          's',
          "Wall clock minus the task's stream time: how far behind real time each task's processing is.",
          [maxOf('service, task', 'streamtune_stream_time_lag_seconds')],
          { thresholds: warnAt(5, 60) },
        ),
        timeseries(
          'Assigned partitions and rebalances',
          'short',
          'Input partitions per instance and rebalance callbacks in the interval, by phase.',
          [
            sumOf(
              'service, instance',
              'streamtune_consumer_assigned_partitions',
              '{{service}} {{instance}} partitions',
            ),
            query(
              `sum by (service, phase) (increase(streamtune_consumer_rebalances_total${app()}[$__rate_interval]))`,
              '{{service}} {{phase}}',
            ),
          ],
          { w: 8 },
        ),
        timeseries(
          'Rebalance callback duration p99 since start',
          's',
          'Revoked: commit and close tasks; assigned: create tasks and open stores. Over all rebalances since the instance started: they are too rare for a rate window.',
          [
            query(
              quantileSinceStart(0.99, 'streamtune_consumer_rebalance_duration_seconds', app(), [
                'service',
                'phase',
              ]),
              '{{service}} {{phase}}',
            ),
          ],
          { w: 8, thresholds: warnAt(5, 30) },
        ),
        stat(
          'Client state',
          'none',
          'The streams client state of each instance (1 = current).',
          [query(`max by (service, state) (streamtune_state${app()}) == 1`, '{{service}} {{state}}')],
          { w: 8 },
        ),
      ],
    },
    {
      title: 'Producer',
      panels: [
        timeseries(
          'Produce requests per second, by topic and outcome',
          'reqps',
          'One request per topic-partition batch; errors appear as outcome="error".',
          [sumRate('service, topic, outcome', 'streamtune_producer_requests_total')],
          { w: 8 },
        ),
        timeseries(
          'Records sent per second, by topic',
          'recps',
          'Records acknowledged by the broker: outputs, changelogs and repartition topics.',
          [sumRate('service, topic', 'streamtune_producer_records_sent_total')],
          { w: 8 },
        ),
        timeseries(
          'Bytes sent per second, by topic',
          'Bps',
          'Bytes of records acknowledged by the broker.',
          [sumRate('service, topic', 'streamtune_producer_sent_bytes_total')],
          { w: 8 },
        ),
        timeseries(
          'Batch size p50 / p99 (bytes)',
          'bytes',
          'Compare with producer.batchSize (orange line at the 16 KiB default).',
          p50p99('streamtune_producer_batch_size_bytes'),
          { w: 8, thresholds: warnAt(16384) },
        ),
        timeseries(
          'Records per batch p50 / p99',
          'short',
          'Records in one produced batch.',
          p50p99('streamtune_producer_batch_records'),
          { w: 8 },
        ),
        timeseries(
          'Request latency and linger wait p99',
          's',
          'Broker round trip per request, and how long the oldest record of a batch waited to be sent.',
          [
            quantileOf(0.99, 'streamtune_producer_request_latency_seconds', 'service', '{{service}} request p99'),
            quantileOf(0.99, 'streamtune_producer_queue_time_seconds', 'service', '{{service}} queue p99'),
          ],
          { w: 8, thresholds: warnAt(0.05, 0.5) },
        ),
        timeseries(
          'Buffered bytes',
          'bytes',
          'Bytes waiting to be sent or acknowledged; near producer.bufferMemory (32 MiB by default) the consumer is paused.',
          [sumOf('service, instance', 'streamtune_producer_buffered_bytes')],
          { thresholds: warnAt(16777216, 30000000) },
        ),
        timeseries(
          'Requests in flight',
          'short',
          'Produce requests sent and not yet acknowledged (at most maxInFlightRequests per broker).',
          [sumOf('service, instance', 'streamtune_producer_in_flight_requests')],
          { thresholds: warnAt(5) },
        ),
      ],
    },
    {
      title: 'Commit',
      panels: [
        timeseries(
          'Commits per second, by reason',
          'ops',
          'interval (commitIntervalMs), revocation (rebalance) or shutdown.',
          [sumRate('service, reason', 'streamtune_commits_total')],
          { w: 6 },
        ),
        timeseries(
          'Commit latency p50 / p99',
          's',
          'Duration of a whole commit.',
          p50p99('streamtune_commit_latency_seconds'),
          { w: 6, thresholds: warnAt(0.1, 1) },
        ),
        timeseries(
          'Mean commit phase duration',
          's',
          'Where a commit spends its time on average: producer_flush, store_flush or offset_commit.',
          [meanOf('streamtune_commit_phase_latency_seconds', 'service, phase')],
          { w: 6 },
        ),
        timeseries(
          'Tasks per commit',
          'short',
          'Tasks included in the most recent commit of each instance.',
          [maxOf('service, instance', 'streamtune_commit_tasks')],
          { w: 6 },
        ),
      ],
    },
    {
      title: 'Records that did not make it',
      panels: [
        timeseries(
          'Dropped records per second, by reason',
          'recps',
          'Dropped on purpose: null key or value, expired window, late. Not an error, but not output either.',
          [sumRate('service, processor, reason', 'streamtune_dropped_records_total')],
        ),
        timeseries(
          'Dead letters per second, by source topic and reason',
          'recps',
          'Records that could not be deserialized or processed and went to the dead-letter topic. Anything above 0 needs a look.',
          [sumRate('service, topic, reason', 'streamtune_dead_letters_total')],
          { thresholds: steps('green', ['red', 0.001]) },
        ),
      ],
    },
  ],
};
