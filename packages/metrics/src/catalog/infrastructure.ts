import type { MetricGroup, MetricSource, MetricSpec, MetricType } from './types';

function external(source: MetricSource, group: MetricGroup) {
  return (type: MetricType, name: string, help: string, labels: readonly string[] = []): MetricSpec => ({
    name,
    type,
    help,
    labels,
    source,
    group,
  });
}

const host = external('node-exporter', 'host');

/**
 * node-exporter families the dashboards may use (Debian's prometheus-node-exporter
 * locally, the node-exporter image in compose). Only the ones a tuning dashboard
 * needs: CPU, memory, network, disk IO, pressure.
 */
export const nodeExporterMetrics: readonly MetricSpec[] = [
  host('counter', 'node_cpu_seconds_total', 'Seconds each CPU spent in each mode.', ['cpu', 'mode']),
  host('gauge', 'node_load1', '1-minute load average.'),
  host('gauge', 'node_load5', '5-minute load average.'),
  host('gauge', 'node_load15', '15-minute load average.'),
  host('gauge', 'node_procs_running', 'Processes in runnable state.'),
  host('counter', 'node_context_switches_total', 'Context switches.'),
  host('gauge', 'node_boot_time_seconds', 'Boot time, seconds since the epoch.'),
  host('gauge', 'node_uname_info', 'uname of the host.', [
    'sysname',
    'release',
    'version',
    'machine',
    'nodename',
  ]),
  host('gauge', 'node_memory_MemTotal_bytes', 'Total usable memory.'),
  host('gauge', 'node_memory_MemAvailable_bytes', 'Memory available for new work without swapping.'),
  host('gauge', 'node_memory_MemFree_bytes', 'Unused memory.'),
  host('gauge', 'node_memory_Cached_bytes', 'Page cache memory.'),
  host('gauge', 'node_memory_Buffers_bytes', 'Block device buffer memory.'),
  host('counter', 'node_network_receive_bytes_total', 'Bytes received per network device.', ['device']),
  host('counter', 'node_network_transmit_bytes_total', 'Bytes sent per network device.', ['device']),
  host('counter', 'node_network_receive_packets_total', 'Packets received per network device.', ['device']),
  host('counter', 'node_network_transmit_packets_total', 'Packets sent per network device.', ['device']),
  host('counter', 'node_disk_read_bytes_total', 'Bytes read per disk.', ['device']),
  host('counter', 'node_disk_written_bytes_total', 'Bytes written per disk.', ['device']),
  host('counter', 'node_disk_reads_completed_total', 'Reads completed per disk.', ['device']),
  host('counter', 'node_disk_writes_completed_total', 'Writes completed per disk.', ['device']),
  host('counter', 'node_disk_io_time_seconds_total', 'Seconds each disk spent doing IO.', ['device']),
  host('gauge', 'node_filesystem_avail_bytes', 'Filesystem space available to non-root users.', [
    'device',
    'fstype',
    'mountpoint',
  ]),
  host('gauge', 'node_filesystem_size_bytes', 'Filesystem size.', ['device', 'fstype', 'mountpoint']),
  host('counter', 'node_pressure_cpu_waiting_seconds_total', 'Time some tasks waited for CPU (PSI).'),
  host('counter', 'node_pressure_memory_waiting_seconds_total', 'Time some tasks waited for memory (PSI).'),
  host('counter', 'node_pressure_io_waiting_seconds_total', 'Time some tasks waited for IO (PSI).'),
];

const broker = external('kafka-jmx', 'broker');
const brokerJvm = external('kafka-jmx', 'broker-jvm');

/** Request types whose time percentiles infra/kafka/jmx-exporter.yaml exports. */
const timeLabels = ['request', 'quantile'];

/**
 * Broker families from the JMX exporter agent with infra/kafka/jmx-exporter.yaml.
 * Per-topic BrokerTopicMetrics series carry `topic`; the broker-wide ones do not.
 * The agent's own process_* families share names with Node's and are not listed again.
 */
export const kafkaJmxMetrics: readonly MetricSpec[] = [
  broker('counter', 'kafka_server_brokertopicmetrics_messagesin_total', 'Messages appended to logs.', [
    'topic',
  ]),
  broker('counter', 'kafka_server_brokertopicmetrics_bytesin_total', 'Bytes received from producers.', [
    'topic',
  ]),
  broker('counter', 'kafka_server_brokertopicmetrics_bytesout_total', 'Bytes sent to consumers.', ['topic']),
  broker(
    'counter',
    'kafka_server_brokertopicmetrics_bytesrejected_total',
    'Bytes rejected (record too large).',
    ['topic'],
  ),
  broker('counter', 'kafka_server_brokertopicmetrics_totalproducerequests_total', 'Produce requests.', [
    'topic',
  ]),
  broker('counter', 'kafka_server_brokertopicmetrics_totalfetchrequests_total', 'Fetch requests.', ['topic']),
  broker(
    'counter',
    'kafka_server_brokertopicmetrics_failedproducerequests_total',
    'Failed produce requests.',
    ['topic'],
  ),
  broker('counter', 'kafka_server_brokertopicmetrics_failedfetchrequests_total', 'Failed fetch requests.', [
    'topic',
  ]),
  broker('gauge', 'kafka_server_replicamanager_partitioncount', 'Partitions on this broker.'),
  broker('gauge', 'kafka_server_replicamanager_leadercount', 'Partitions this broker leads.'),
  broker('gauge', 'kafka_server_replicamanager_underreplicatedpartitions', 'Under-replicated partitions.'),
  broker(
    'gauge',
    'kafka_server_replicamanager_underminisrpartitioncount',
    'Partitions under min.insync.replicas.',
  ),
  broker('gauge', 'kafka_server_replicamanager_offlinereplicacount', 'Offline replicas.'),
  broker('counter', 'kafka_server_replicamanager_isrshrinks_total', 'ISR shrinks.'),
  broker('counter', 'kafka_server_replicamanager_isrexpands_total', 'ISR expansions.'),
  broker('gauge', 'kafka_controller_kafkacontroller_activecontrollercount', '1 on the active controller.'),
  broker('gauge', 'kafka_controller_kafkacontroller_activebrokercount', 'Brokers registered and unfenced.'),
  broker('gauge', 'kafka_controller_kafkacontroller_offlinepartitionscount', 'Partitions without a leader.'),
  broker('gauge', 'kafka_controller_kafkacontroller_globaltopiccount', 'Topics in the cluster.'),
  broker('gauge', 'kafka_controller_kafkacontroller_globalpartitioncount', 'Partitions in the cluster.'),
  broker(
    'gauge',
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent',
    'Fraction of time request handler threads are idle (0..1), one-minute rate.',
  ),
  broker(
    'gauge',
    'kafka_network_socketserver_networkprocessoravgidlepercent',
    'Fraction of time network threads are idle (0..1).',
  ),
  broker('gauge', 'kafka_network_requestchannel_requestqueuesize', 'Requests waiting for a handler thread.'),
  broker(
    'gauge',
    'kafka_server_delayedoperationpurgatory_purgatorysize',
    'Requests waiting in a purgatory.',
    ['delayedoperation'],
  ),
  broker('counter', 'kafka_network_requestmetrics_requests_total', 'Requests by type and API version.', [
    'request',
    'version',
  ]),
  broker(
    'counter',
    'kafka_network_requestmetrics_errors_total',
    'Responses by request type and error code.',
    ['request', 'error'],
  ),
  broker('gauge', 'kafka_network_requestmetrics_totaltime_seconds', 'Request time, total.', timeLabels),
  broker(
    'gauge',
    'kafka_network_requestmetrics_requestqueuetime_seconds',
    'Request time waiting for a handler.',
    timeLabels,
  ),
  broker(
    'gauge',
    'kafka_network_requestmetrics_localtime_seconds',
    'Request time in the leader.',
    timeLabels,
  ),
  broker(
    'gauge',
    'kafka_network_requestmetrics_remotetime_seconds',
    'Request time waiting for followers (acks=all) or fetch.min.bytes.',
    timeLabels,
  ),
  broker(
    'gauge',
    'kafka_network_requestmetrics_responsequeuetime_seconds',
    'Response time waiting for a network thread.',
    timeLabels,
  ),
  broker(
    'gauge',
    'kafka_network_requestmetrics_responsesendtime_seconds',
    'Response time sending to the client.',
    timeLabels,
  ),
  broker(
    'gauge',
    'kafka_network_requestmetrics_throttletime_seconds',
    'Time a request was throttled.',
    timeLabels,
  ),
  broker('gauge', 'kafka_log_log_size_bytes', 'Size of a partition log on disk.', ['topic', 'partition']),
  broker('gauge', 'kafka_log_log_logendoffset', 'Log end offset of a partition.', ['topic', 'partition']),
  broker('gauge', 'kafka_log_log_logstartoffset', 'Log start offset of a partition.', ['topic', 'partition']),
  broker('gauge', 'kafka_log_log_numlogsegments', 'Segments of a partition log.', ['topic', 'partition']),
  broker('counter', 'kafka_log_logflushstats_logflushes_total', 'Log flushes to disk.'),
  broker('gauge', 'kafka_log_logflushstats_logflushtime_seconds', 'Log flush time.', ['quantile']),
  broker('gauge', 'kafka_coordinator_group_groupmetadatamanager_numgroups', 'Consumer groups.'),
  broker('gauge', 'kafka_coordinator_group_groupmetadatamanager_numgroupsstable', 'Stable consumer groups.'),
  broker(
    'gauge',
    'kafka_coordinator_group_groupmetadatamanager_numgroupspreparingrebalance',
    'Consumer groups preparing a rebalance.',
  ),
  broker('gauge', 'kafka_coordinator_group_groupmetadatamanager_numoffsets', 'Committed offsets.'),
  brokerJvm('gauge', 'jvm_memory_used_bytes', 'Broker JVM memory used, heap or nonheap.', ['area']),
  brokerJvm('gauge', 'jvm_memory_committed_bytes', 'Broker JVM memory committed, heap or nonheap.', ['area']),
  brokerJvm('gauge', 'jvm_memory_max_bytes', 'Broker JVM memory maximum, heap or nonheap.', ['area']),
  brokerJvm('gauge', 'jvm_memory_pool_used_bytes', 'Broker JVM memory used per pool.', ['pool']),
  brokerJvm('gauge', 'jvm_buffer_pool_used_bytes', 'Broker direct and mapped buffer memory.', ['pool']),
  brokerJvm('summary', 'jvm_gc_collection_seconds', 'Broker garbage collection time per collector.', ['gc']),
  brokerJvm('gauge', 'jvm_threads_current', 'Broker JVM threads.'),
];
