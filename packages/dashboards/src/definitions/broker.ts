import type { DashboardSpec } from '../grafana/build';
import { maxOf, quantileOf, query, stat, steps, sumOf, sumRate, timeseries, warnAt } from '../grafana/panels';

/** `{instance=~"$instance"}`: the broker(s) the `instance` variable selects, plus extra matchers. */
function broker(extra = ''): string {
  return `{instance=~"$instance"${extra ? `,${extra}` : ''}}`;
}

const PRODUCE_FETCH = 'request=~"Produce|FetchConsumer|FetchFollower|Fetch|OffsetCommit"';

/** Over the selected brokers: a gauge summed or its maximum, a counter's rate summed; by `by`. */
function brokerSum(metric: string, legend: string, by = '', extra = '') {
  return sumOf(by, metric, legend, broker(extra));
}
function brokerMax(metric: string, legend: string, by = '', extra = '') {
  return maxOf(by, metric, legend, broker(extra));
}
function brokerRate(counter: string, legend: string, by = '', extra = '') {
  return sumRate(by, counter, legend, broker(extra));
}

/** A broker-wide BrokerTopicMetrics counter per second (`topic=""` is the all-topics series). */
function brokerTopicTotal(counter: string, what: string) {
  return brokerRate(`kafka_server_brokertopicmetrics_${counter}_total`, `{{instance}} ${what}`, 'instance', 'topic=""');
}

/** The broker-side p99 of one part of a produce request's time (RequestMetrics). */
function produceTimeP99(part: string, legend: string) {
  return brokerMax(`kafka_network_requestmetrics_${part}_seconds`, legend, '', 'quantile="0.99",request="Produce"');
}

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
        timeseries(
          'Messages in per second, by topic',
          'recps',
          'Records appended to each topic: inputs, outputs, changelogs, repartition topics.',
          [
            brokerRate('kafka_server_brokertopicmetrics_messagesin_total', '{{topic}}', 'topic', 'topic!=""'),
          ],
        ),
        timeseries(
          'Bytes in and out per second',
          'Bps',
          'Bytes from producers and to consumers, broker-wide, with bytes rejected (record too large).',
          [
            brokerTopicTotal('bytesin', 'in'),
            brokerTopicTotal('bytesout', 'out'),
            brokerTopicTotal('bytesrejected', 'rejected'),
          ],
        ),
        timeseries(
          'Produce and fetch requests per second, with failures',
          'reqps',
          'Produce and fetch requests as the broker counts them; failed ones should stay at 0.',
          [
            brokerTopicTotal('totalproducerequests', 'produce'),
            brokerTopicTotal('totalfetchrequests', 'fetch'),
            brokerTopicTotal('failedproducerequests', 'failed produce'),
            brokerTopicTotal('failedfetchrequests', 'failed fetch'),
          ],
        ),
        timeseries(
          'Produce requests: the services against the broker',
          'reqps',
          'Produce requests per second the selected services sent (one per partition batch) against the produce requests the broker handled.',
          [
            sumRate(
              'service',
              'streamtune_producer_requests_total',
              '{{service}} (client side)',
              `{service=~"$service"}`,
            ),
            brokerRate('kafka_network_requestmetrics_requests_total', 'broker', '', 'request="Produce"'),
          ],
        ),
      ],
    },
    {
      title: 'Requests',
      panels: [
        timeseries(
          'Requests per second, by type',
          'reqps',
          'Every API the clients call: produce, fetch, offset commit, heartbeats, metadata.',
          [brokerRate('kafka_network_requestmetrics_requests_total', '{{request}}', 'request')],
        ),
        timeseries(
          'Responses per second, by type and error code',
          'reqps',
          'Error codes other than NONE; group-protocol codes during a join are normal, storage errors are not.',
          [
            brokerRate('kafka_network_requestmetrics_errors_total', '{{request}} {{error}}', 'request, error', 'error!="NONE"'),
          ],
        ),
        timeseries(
          'Request total time p99, by type',
          's',
          'Time from receiving a request to sending its response, as the broker measures it.',
          [
            brokerMax('kafka_network_requestmetrics_totaltime_seconds', '{{request}}', 'request', `quantile="0.99",${PRODUCE_FETCH}`),
          ],
          { thresholds: warnAt(0.1, 1) },
        ),
        timeseries(
          'Where produce time goes (p99)',
          's',
          'Queue (waiting for a handler thread), local (leader append), remote (acks=all, replicas), response queue and send. The largest part is the one to act on.',
          [
            produceTimeP99('requestqueuetime', 'request queue'),
            produceTimeP99('localtime', 'local'),
            produceTimeP99('remotetime', 'remote'),
            produceTimeP99('responsequeuetime', 'response queue'),
            produceTimeP99('responsesendtime', 'response send'),
            produceTimeP99('throttletime', 'throttle'),
          ],
        ),
        timeseries(
          'Produce latency p99: services (client side) against the broker',
          's',
          'Client-side produce request latency of the selected services next to the broker-side produce total time: the gap is the network and the client.',
          [
            quantileOf(
              0.99,
              'streamtune_producer_request_latency_seconds',
              'service',
              '{{service}} client p99',
              `{service=~"$service"}`,
            ),
            produceTimeP99('totaltime', 'broker produce total p99'),
          ],
        ),
        timeseries(
          'Thread idle: request handlers and network processors',
          'percentunit',
          'Fraction of time the threads are idle: below 30% the broker is saturated.',
          [
            query(
              `kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent${broker()}`,
              '{{instance}} request handlers',
            ),
            query(
              `kafka_network_socketserver_networkprocessoravgidlepercent${broker()}`,
              '{{instance}} network processors',
            ),
          ],
          { max: 1, thresholds: steps('red', ['orange', 0.3], ['green', 0.5]) },
        ),
        timeseries(
          'Request queue and purgatory',
          'short',
          'Requests waiting for a handler thread, and requests parked until they can complete (fetch.min.bytes, acks=all).',
          [
            query(`kafka_network_requestchannel_requestqueuesize${broker()}`, '{{instance}} request queue'),
            brokerSum('kafka_server_delayedoperationpurgatory_purgatorysize', 'purgatory {{delayedoperation}}', 'delayedoperation'),
          ],
        ),
      ],
    },
    {
      title: 'Partitions and controller',
      panels: [
        stat(
          'Partitions and leaders',
          'short',
          'Partitions hosted and led by the broker, and in the cluster.',
          [
            brokerSum('kafka_server_replicamanager_partitioncount', 'partitions'),
            brokerSum('kafka_server_replicamanager_leadercount', 'leaders'),
            brokerMax('kafka_controller_kafkacontroller_globalpartitioncount', 'cluster partitions'),
            brokerMax('kafka_controller_kafkacontroller_globaltopiccount', 'cluster topics'),
          ],
          { w: 8 },
        ),
        stat(
          'Partition health',
          'short',
          'Under-replicated, under min ISR, offline: anything above 0 loses availability or durability.',
          [
            brokerSum('kafka_server_replicamanager_underreplicatedpartitions', 'under-replicated'),
            brokerSum('kafka_server_replicamanager_underminisrpartitioncount', 'under min ISR'),
            brokerSum('kafka_server_replicamanager_offlinereplicacount', 'offline replicas'),
            brokerMax('kafka_controller_kafkacontroller_offlinepartitionscount', 'offline partitions'),
          ],
          { w: 8, thresholds: steps('green', ['red', 1]) },
        ),
        timeseries(
          'Controller and ISR changes',
          'short',
          'One active controller, the registered brokers, and ISR shrinks/expands per second.',
          [
            brokerSum('kafka_controller_kafkacontroller_activecontrollercount', 'active controllers'),
            brokerMax('kafka_controller_kafkacontroller_activebrokercount', 'active brokers'),
            brokerRate('kafka_server_replicamanager_isrshrinks_total', 'ISR shrinks/s'),
            brokerRate('kafka_server_replicamanager_isrexpands_total', 'ISR expands/s'),
          ],
          { w: 8 },
        ),
      ],
    },
    {
      title: 'Log and consumer groups',
      panels: [
        timeseries(
          'Log size on disk, by topic',
          'bytes',
          'Changelogs of windowed stores should level off at window + additional retention.',
          [brokerSum('kafka_log_log_size_bytes', '{{topic}}', 'topic')],
          { w: 8 },
        ),
        timeseries(
          'Log segments and appended offsets per second, by topic',
          'short',
          'Segments on disk, and the log end offset growth (records appended) per topic.',
          [
            brokerSum('kafka_log_log_numlogsegments', '{{topic}} segments', 'topic'),
            query(
              `sum by (topic) (deriv(kafka_log_log_logendoffset${broker()}[$__rate_interval]))`,
              '{{topic}} offsets/s',
            ),
            query(
              `sum by (topic) (kafka_log_log_logendoffset${broker()} - kafka_log_log_logstartoffset${broker()})`,
              '{{topic}} records retained',
            ),
          ],
          { w: 8 },
        ),
        timeseries(
          'Log flushes per second and flush time p99',
          'short',
          'Kafka leaves flushing to the OS by default; explicit flushes here are rare and slow.',
          [
            brokerRate('kafka_log_logflushstats_logflushes_total', 'flushes/s'),
            brokerMax('kafka_log_logflushstats_logflushtime_seconds', 'flush time p99 (s)', '', 'quantile="0.99"'),
          ],
          { w: 8 },
        ),
        timeseries(
          'Consumer groups',
          'short',
          'Groups known to the coordinator, stable ones, those rebalancing, and committed offsets.',
          [
            brokerSum('kafka_coordinator_group_groupmetadatamanager_numgroups', 'groups'),
            brokerSum('kafka_coordinator_group_groupmetadatamanager_numgroupsstable', 'stable'),
            brokerSum(
              'kafka_coordinator_group_groupmetadatamanager_numgroupspreparingrebalance',
              'preparing rebalance',
            ),
          ],
        ),
        timeseries(
          'Committed offsets',
          'short',
          'Offsets stored in __consumer_offsets: grows with groups × partitions.',
          [brokerSum('kafka_coordinator_group_groupmetadatamanager_numoffsets', 'offsets')],
        ),
      ],
    },
    {
      title: 'Broker JVM',
      panels: [
        timeseries(
          'JVM memory: heap and non-heap, used against max',
          'bytes',
          'Heap used near max means GC pressure; the page cache, not the heap, holds the log.',
          [
            brokerSum('jvm_memory_used_bytes', '{{area}} used', 'area'),
            brokerSum('jvm_memory_committed_bytes', '{{area}} committed', 'area'),
            brokerSum('jvm_memory_max_bytes', '{{area}} max', 'area', 'area="heap"'),
          ],
          { w: 8 },
        ),
        timeseries(
          'JVM memory pools and buffers',
          'bytes',
          'Per pool (G1 regions, metaspace) and direct/mapped buffers.',
          [
            brokerSum('jvm_memory_pool_used_bytes', '{{pool}}', 'pool'),
            brokerSum('jvm_buffer_pool_used_bytes', 'buffer {{pool}}', 'pool'),
          ],
          { w: 8 },
        ),
        timeseries(
          'GC time per second, by collector',
          'percentunit',
          'Fraction of time the broker JVM spent in garbage collection, per collector.',
          [brokerRate('jvm_gc_collection_seconds_sum', '{{gc}}', 'gc')],
          { w: 8, thresholds: warnAt(0.05, 0.2) },
        ),
        timeseries('Broker JVM threads', 'short', 'Threads of the broker JVM.', [
          brokerSum('jvm_threads_current', 'threads'),
        ]),
      ],
    },
  ],
};
