import { rate, type DashboardSpec } from '../grafana/build';

/** `{instance=~"$instance"}`: the broker(s) the `instance` variable selects, plus extra matchers. */
function broker(extra = ''): string {
  return `{instance=~"$instance"${extra ? `,${extra}` : ''}}`;
}

const PRODUCE_FETCH = 'request=~"Produce|FetchConsumer|FetchFollower|Fetch|OffsetCommit"';

/** The broker side (JMX exporter agent, infra/kafka/jmx-exporter.yaml names). */
export const brokerDashboard: DashboardSpec = {
  uid: 'streamtune-broker',
  title: 'streamtune / Broker',
  description:
    'Kafka broker metrics from the JMX exporter: traffic per topic, request rates and where request time goes, thread saturation, partition health, log size, consumer groups and the JVM.',
  tags: ['broker'],
  variables: [
    { name: 'service', label: 'Service', labelValues: 'label_values(streamtune_ready, service)' },
    {
      name: 'instance',
      label: 'Broker',
      labelValues: 'label_values(kafka_server_replicamanager_partitioncount, instance)',
    },
  ],
  rows: [
    {
      title: 'Traffic',
      panels: [
        {
          title: 'Messages in per second, by topic',
          description: 'Records appended to each topic: inputs, outputs, changelogs, repartition topics.',
          unit: 'recps',
          min: 0,
          queries: [
            {
              expr: `sum by (topic) (${rate('kafka_server_brokertopicmetrics_messagesin_total', broker('topic!=""'))})`,
              legend: '{{topic}}',
            },
          ],
        },
        {
          title: 'Bytes in and out per second',
          description:
            'Bytes from producers and to consumers, broker-wide, with bytes rejected (record too large).',
          unit: 'Bps',
          min: 0,
          queries: [
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_bytesin_total', broker('topic=""'))})`,
              legend: '{{instance}} in',
            },
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_bytesout_total', broker('topic=""'))})`,
              legend: '{{instance}} out',
            },
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_bytesrejected_total', broker('topic=""'))})`,
              legend: '{{instance}} rejected',
            },
          ],
        },
        {
          title: 'Produce and fetch requests per second, with failures',
          description: 'Produce and fetch requests as the broker counts them; failed ones should stay at 0.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_totalproducerequests_total', broker('topic=""'))})`,
              legend: '{{instance}} produce',
            },
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_totalfetchrequests_total', broker('topic=""'))})`,
              legend: '{{instance}} fetch',
            },
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_failedproducerequests_total', broker('topic=""'))})`,
              legend: '{{instance}} failed produce',
            },
            {
              expr: `sum by (instance) (${rate('kafka_server_brokertopicmetrics_failedfetchrequests_total', broker('topic=""'))})`,
              legend: '{{instance}} failed fetch',
            },
          ],
        },
        {
          title: 'Produce requests: the services against the broker',
          description:
            'Produce requests per second the selected services sent (one per partition batch) against the produce requests the broker handled.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (service) (${rate('streamtune_producer_requests_total', `{service=~"$service"}`)})`,
              legend: '{{service}} (client side)',
            },
            {
              expr: `sum (${rate('kafka_network_requestmetrics_requests_total', broker('request="Produce"'))})`,
              legend: 'broker',
            },
          ],
        },
      ],
    },
    {
      title: 'Requests',
      panels: [
        {
          title: 'Requests per second, by type',
          description: 'Every API the clients call: produce, fetch, offset commit, heartbeats, metadata.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (request) (${rate('kafka_network_requestmetrics_requests_total', broker())})`,
              legend: '{{request}}',
            },
          ],
        },
        {
          title: 'Responses per second, by type and error code',
          description:
            'Error codes other than NONE; group-protocol codes during a join are normal, storage errors are not.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (request, error) (${rate('kafka_network_requestmetrics_errors_total', broker('error!="NONE"'))})`,
              legend: '{{request}} {{error}}',
            },
          ],
        },
        {
          title: 'Request total time p99, by type',
          description: 'Time from receiving a request to sending its response, as the broker measures it.',
          unit: 's',
          min: 0,
          thresholds: [
            ['green', null],
            ['orange', 0.1],
            ['red', 1],
          ],
          queries: [
            {
              expr: `max by (request) (kafka_network_requestmetrics_totaltime_seconds${broker(`quantile="0.99",${PRODUCE_FETCH}`)})`,
              legend: '{{request}}',
            },
          ],
        },
        {
          title: 'Where produce time goes (p99)',
          description:
            'Queue (waiting for a handler thread), local (leader append), remote (acks=all, replicas), response queue and send. The largest part is the one to act on.',
          unit: 's',
          min: 0,
          queries: [
            {
              expr: `max (kafka_network_requestmetrics_requestqueuetime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'request queue',
            },
            {
              expr: `max (kafka_network_requestmetrics_localtime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'local',
            },
            {
              expr: `max (kafka_network_requestmetrics_remotetime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'remote',
            },
            {
              expr: `max (kafka_network_requestmetrics_responsequeuetime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'response queue',
            },
            {
              expr: `max (kafka_network_requestmetrics_responsesendtime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'response send',
            },
            {
              expr: `max (kafka_network_requestmetrics_throttletime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'throttle',
            },
          ],
        },
        {
          title: 'Produce latency p99: services (client side) against the broker',
          description:
            'Client-side produce request latency of the selected services next to the broker-side produce total time: the gap is the network and the client.',
          unit: 's',
          min: 0,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (service, le) (${rate('streamtune_producer_request_latency_seconds_bucket', `{service=~"$service"}`)}))`,
              legend: '{{service}} client p99',
            },
            {
              expr: `max (kafka_network_requestmetrics_totaltime_seconds${broker('quantile="0.99",request="Produce"')})`,
              legend: 'broker produce total p99',
            },
          ],
        },
        {
          title: 'Thread idle: request handlers and network processors',
          description: 'Fraction of time the threads are idle: below 30% the broker is saturated.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: [
            ['red', null],
            ['orange', 0.3],
            ['green', 0.5],
          ],
          queries: [
            {
              expr: `kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent${broker()}`,
              legend: '{{instance}} request handlers',
            },
            {
              expr: `kafka_network_socketserver_networkprocessoravgidlepercent${broker()}`,
              legend: '{{instance}} network processors',
            },
          ],
        },
        {
          title: 'Request queue and purgatory',
          description:
            'Requests waiting for a handler thread, and requests parked until they can complete (fetch.min.bytes, acks=all).',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `kafka_network_requestchannel_requestqueuesize${broker()}`,
              legend: '{{instance}} request queue',
            },
            {
              expr: `sum by (delayedoperation) (kafka_server_delayedoperationpurgatory_purgatorysize${broker()})`,
              legend: 'purgatory {{delayedoperation}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Partitions and controller',
      panels: [
        {
          title: 'Partitions and leaders',
          description: 'Partitions hosted and led by the broker, and in the cluster.',
          type: 'stat',
          unit: 'short',
          w: 8,
          queries: [
            { expr: `sum (kafka_server_replicamanager_partitioncount${broker()})`, legend: 'partitions' },
            { expr: `sum (kafka_server_replicamanager_leadercount${broker()})`, legend: 'leaders' },
            {
              expr: `max (kafka_controller_kafkacontroller_globalpartitioncount${broker()})`,
              legend: 'cluster partitions',
            },
            {
              expr: `max (kafka_controller_kafkacontroller_globaltopiccount${broker()})`,
              legend: 'cluster topics',
            },
          ],
        },
        {
          title: 'Partition health',
          description:
            'Under-replicated, under min ISR, offline: anything above 0 loses availability or durability.',
          type: 'stat',
          unit: 'short',
          w: 8,
          thresholds: [
            ['green', null],
            ['red', 1],
          ],
          queries: [
            {
              expr: `sum (kafka_server_replicamanager_underreplicatedpartitions${broker()})`,
              legend: 'under-replicated',
            },
            {
              expr: `sum (kafka_server_replicamanager_underminisrpartitioncount${broker()})`,
              legend: 'under min ISR',
            },
            {
              expr: `sum (kafka_server_replicamanager_offlinereplicacount${broker()})`,
              legend: 'offline replicas',
            },
            {
              expr: `max (kafka_controller_kafkacontroller_offlinepartitionscount${broker()})`,
              legend: 'offline partitions',
            },
          ],
        },
        {
          title: 'Controller and ISR changes',
          description: 'One active controller, the registered brokers, and ISR shrinks/expands per second.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum (kafka_controller_kafkacontroller_activecontrollercount${broker()})`,
              legend: 'active controllers',
            },
            {
              expr: `max (kafka_controller_kafkacontroller_activebrokercount${broker()})`,
              legend: 'active brokers',
            },
            {
              expr: `sum (${rate('kafka_server_replicamanager_isrshrinks_total', broker())})`,
              legend: 'ISR shrinks/s',
            },
            {
              expr: `sum (${rate('kafka_server_replicamanager_isrexpands_total', broker())})`,
              legend: 'ISR expands/s',
            },
          ],
        },
      ],
    },
    {
      title: 'Log and consumer groups',
      panels: [
        {
          title: 'Log size on disk, by topic',
          description: 'Changelogs of windowed stores should level off at window + additional retention.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [{ expr: `sum by (topic) (kafka_log_log_size_bytes${broker()})`, legend: '{{topic}}' }],
        },
        {
          title: 'Log segments and appended offsets per second, by topic',
          description: 'Segments on disk, and the log end offset growth (records appended) per topic.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (topic) (kafka_log_log_numlogsegments${broker()})`,
              legend: '{{topic}} segments',
            },
            {
              expr: `sum by (topic) (deriv(kafka_log_log_logendoffset${broker()}[$__rate_interval]))`,
              legend: '{{topic}} offsets/s',
            },
            {
              expr: `sum by (topic) (kafka_log_log_logendoffset${broker()} - kafka_log_log_logstartoffset${broker()})`,
              legend: '{{topic}} records retained',
            },
          ],
        },
        {
          title: 'Log flushes per second and flush time p99',
          description: 'Kafka leaves flushing to the OS by default; explicit flushes here are rare and slow.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum (${rate('kafka_log_logflushstats_logflushes_total', broker())})`,
              legend: 'flushes/s',
            },
            {
              expr: `max (kafka_log_logflushstats_logflushtime_seconds${broker('quantile="0.99"')})`,
              legend: 'flush time p99 (s)',
            },
          ],
        },
        {
          title: 'Consumer groups',
          description:
            'Groups known to the coordinator, stable ones, those rebalancing, and committed offsets.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum (kafka_coordinator_group_groupmetadatamanager_numgroups${broker()})`,
              legend: 'groups',
            },
            {
              expr: `sum (kafka_coordinator_group_groupmetadatamanager_numgroupsstable${broker()})`,
              legend: 'stable',
            },
            {
              expr: `sum (kafka_coordinator_group_groupmetadatamanager_numgroupspreparingrebalance${broker()})`,
              legend: 'preparing rebalance',
            },
          ],
        },
        {
          title: 'Committed offsets',
          description: 'Offsets stored in __consumer_offsets: grows with groups × partitions.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum (kafka_coordinator_group_groupmetadatamanager_numoffsets${broker()})`,
              legend: 'offsets',
            },
          ],
        },
      ],
    },
    {
      title: 'Broker JVM',
      panels: [
        {
          title: 'JVM memory: heap and non-heap, used against max',
          description: 'Heap used near max means GC pressure; the page cache, not the heap, holds the log.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            { expr: `sum by (area) (jvm_memory_used_bytes${broker()})`, legend: '{{area}} used' },
            { expr: `sum by (area) (jvm_memory_committed_bytes${broker()})`, legend: '{{area}} committed' },
            { expr: `sum by (area) (jvm_memory_max_bytes${broker('area="heap"')})`, legend: '{{area}} max' },
          ],
        },
        {
          title: 'JVM memory pools and buffers',
          description: 'Per pool (G1 regions, metaspace) and direct/mapped buffers.',
          unit: 'bytes',
          min: 0,
          w: 8,
          queries: [
            { expr: `sum by (pool) (jvm_memory_pool_used_bytes${broker()})`, legend: '{{pool}}' },
            { expr: `sum by (pool) (jvm_buffer_pool_used_bytes${broker()})`, legend: 'buffer {{pool}}' },
          ],
        },
        {
          title: 'GC time per second, by collector',
          description: 'Fraction of time the broker JVM spent in garbage collection, per collector.',
          unit: 'percentunit',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.05],
            ['red', 0.2],
          ],
          queries: [
            { expr: `sum by (gc) (${rate('jvm_gc_collection_seconds_sum', broker())})`, legend: '{{gc}}' },
          ],
        },
        {
          title: 'Broker JVM threads',
          description: 'Threads of the broker JVM.',
          unit: 'short',
          min: 0,
          queries: [{ expr: `sum (jvm_threads_current${broker()})`, legend: 'threads' }],
        },
      ],
    },
  ],
};
