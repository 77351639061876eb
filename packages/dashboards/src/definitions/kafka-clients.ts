import {
  app,
  mean,
  quantile,
  quantileSinceStart,
  rate,
  SERVICE_VARIABLES,
  type DashboardSpec,
} from '../grafana/build';

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
        {
          title: 'Records fetched per second, by topic',
          description: 'Records returned by fetches, per input topic.',
          unit: 'recps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, topic) (${rate('streamtune_consumer_records_fetched_total', app())})`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Bytes fetched per second, by topic',
          description: 'Bytes of records returned by fetches.',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, topic) (${rate('streamtune_consumer_fetched_bytes_total', app())})`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Fetched batches per second and records per batch',
          description:
            'Many small batches per second mean fetches return early (fetchMinBytes/fetchMaxWaitMs); the mean is records per partition batch.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service) (${rate('streamtune_consumer_fetches_total', app())})`,
              legend: '{{service}} batches/s',
            },
            {
              expr: mean('streamtune_consumer_records_per_fetch', app(), ['service']),
              legend: '{{service}} records per batch',
            },
          ],
        },
        {
          title: 'Consumer lag, by topic and partition',
          description:
            'One line per input partition: a single lagging partition points at a hot key or a slow task.',
          unit: 'short',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 1000],
            ['red', 10000],
          ],
          queries: [
            {
              expr: `sum by (service, topic, partition) (streamtune_consumer_lag_records${app()})`,
              legend: '{{service}} {{topic}}-{{partition}}',
            },
          ],
        },
        {
          title: 'Stream-time lag, by task',
          description:
            "Wall clock minus the task's stream time: how far behind real time each task's processing is.",
          unit: 's',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 5],
            ['red', 60],
          ],
          queries: [
            {
              expr: `max by (service, task) (streamtune_stream_time_lag_seconds${app()})`,
              legend: '{{service}} {{task}}',
            },
          ],
        },
        {
          title: 'Assigned partitions and rebalances',
          description: 'Input partitions per instance and rebalance callbacks in the interval, by phase.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, instance) (streamtune_consumer_assigned_partitions${app()})`,
              legend: '{{service}} {{instance}} partitions',
            },
            {
              expr: `sum by (service, phase) (increase(streamtune_consumer_rebalances_total${app()}[$__rate_interval]))`,
              legend: '{{service}} {{phase}}',
            },
          ],
        },
        {
          title: 'Rebalance callback duration p99 since start',
          description:
            'Revoked: commit and close tasks; assigned: create tasks and open stores. Over all rebalances since the instance started: they are too rare for a rate window.',
          unit: 's',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 5],
            ['red', 30],
          ],
          queries: [
            {
              expr: quantileSinceStart(0.99, 'streamtune_consumer_rebalance_duration_seconds', app(), [
                'service',
                'phase',
              ]),
              legend: '{{service}} {{phase}}',
            },
          ],
        },
        {
          title: 'Client state',
          description: 'The streams client state of each instance (1 = current).',
          type: 'stat',
          unit: 'none',
          w: 8,
          queries: [
            {
              expr: `max by (service, state) (streamtune_state${app()}) == 1`,
              legend: '{{service}} {{state}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Producer',
      panels: [
        {
          title: 'Produce requests per second, by topic and outcome',
          description: 'One request per topic-partition batch; errors appear as outcome="error".',
          unit: 'reqps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, topic, outcome) (${rate('streamtune_producer_requests_total', app())})`,
              legend: '{{service}} {{topic}} {{outcome}}',
            },
          ],
        },
        {
          title: 'Records sent per second, by topic',
          description: 'Records acknowledged by the broker: outputs, changelogs and repartition topics.',
          unit: 'recps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, topic) (${rate('streamtune_producer_records_sent_total', app())})`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Bytes sent per second, by topic',
          description: 'Bytes of records acknowledged by the broker.',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, topic) (${rate('streamtune_producer_sent_bytes_total', app())})`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Batch size p50 / p99 (bytes)',
          description: 'Compare with producer.batchSize (orange line at the 16 KiB default).',
          unit: 'bytes',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 16384],
          ],
          queries: [
            {
              expr: quantile(0.5, 'streamtune_producer_batch_size_bytes', app(), ['service']),
              legend: '{{service}} p50',
            },
            {
              expr: quantile(0.99, 'streamtune_producer_batch_size_bytes', app(), ['service']),
              legend: '{{service}} p99',
            },
          ],
        },
        {
          title: 'Records per batch p50 / p99',
          description: 'Records in one produced batch.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: quantile(0.5, 'streamtune_producer_batch_records', app(), ['service']),
              legend: '{{service}} p50',
            },
            {
              expr: quantile(0.99, 'streamtune_producer_batch_records', app(), ['service']),
              legend: '{{service}} p99',
            },
          ],
        },
        {
          title: 'Request latency and linger wait p99',
          description:
            'Broker round trip per request, and how long the oldest record of a batch waited to be sent.',
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
              legend: '{{service}} request p99',
            },
            {
              expr: quantile(0.99, 'streamtune_producer_queue_time_seconds', app(), ['service']),
              legend: '{{service}} queue p99',
            },
          ],
        },
        {
          title: 'Buffered bytes',
          description:
            'Bytes waiting to be sent or acknowledged; near producer.bufferMemory (32 MiB by default) the consumer is paused.',
          unit: 'bytes',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 16777216],
            ['red', 30000000],
          ],
          queries: [
            {
              expr: `sum by (service, instance) (streamtune_producer_buffered_bytes${app()})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
        {
          title: 'Requests in flight',
          description:
            'Produce requests sent and not yet acknowledged (at most maxInFlightRequests per broker).',
          unit: 'short',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 5],
          ],
          queries: [
            {
              expr: `sum by (service, instance) (streamtune_producer_in_flight_requests${app()})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Commit',
      panels: [
        {
          title: 'Commits per second, by reason',
          description: 'interval (commitIntervalMs), revocation (rebalance) or shutdown.',
          unit: 'ops',
          min: 0,
          w: 6,
          queries: [
            {
              expr: `sum by (service, reason) (${rate('streamtune_commits_total', app())})`,
              legend: '{{service}} {{reason}}',
            },
          ],
        },
        {
          title: 'Commit latency p50 / p99',
          description: 'Duration of a whole commit.',
          unit: 's',
          min: 0,
          w: 6,
          thresholds: [
            ['green', null],
            ['orange', 0.1],
            ['red', 1],
          ],
          queries: [
            {
              expr: quantile(0.5, 'streamtune_commit_latency_seconds', app(), ['service']),
              legend: '{{service}} p50',
            },
            {
              expr: quantile(0.99, 'streamtune_commit_latency_seconds', app(), ['service']),
              legend: '{{service}} p99',
            },
          ],
        },
        {
          title: 'Mean commit phase duration',
          description:
            'Where a commit spends its time on average: producer_flush, store_flush or offset_commit.',
          unit: 's',
          min: 0,
          w: 6,
          queries: [
            {
              expr: mean('streamtune_commit_phase_latency_seconds', app(), ['service', 'phase']),
              legend: '{{service}} {{phase}}',
            },
          ],
        },
        {
          title: 'Tasks per commit',
          description: 'Tasks included in the most recent commit of each instance.',
          unit: 'short',
          min: 0,
          w: 6,
          queries: [
            {
              expr: `max by (service, instance) (streamtune_commit_tasks${app()})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Records that did not make it',
      panels: [
        {
          title: 'Dropped records per second, by reason',
          description:
            'Dropped on purpose: null key or value, expired window, late. Not an error, but not output either.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (service, processor, reason) (${rate('streamtune_dropped_records_total', app())})`,
              legend: '{{service}} {{processor}} {{reason}}',
            },
          ],
        },
        {
          title: 'Dead letters per second, by source topic and reason',
          description:
            'Records that could not be deserialized or processed and went to the dead-letter topic. Anything above 0 needs a look.',
          unit: 'recps',
          min: 0,
          thresholds: [
            ['green', null],
            ['red', 0.001],
          ],
          queries: [
            {
              expr: `sum by (service, topic, reason) (${rate('streamtune_dead_letters_total', app())})`,
              legend: '{{service}} {{topic}} {{reason}}',
            },
          ],
        },
      ],
    },
  ],
};
