import { app, node, NODE_VARIABLE, rate, SERVICE_VARIABLES, type DashboardSpec } from '../grafana/build';

/** The host (node-exporter) and the service processes on it. */
export const infrastructure: DashboardSpec = {
  uid: 'streamtune-infrastructure',
  title: 'streamtune / Infrastructure',
  description:
    'CPU, load and pressure, memory, network, disk and filesystems of the host (node-exporter), and the CPU, memory, file descriptors, event-loop lag and GC of each service process.',
  tags: ['infrastructure'],
  variables: [...SERVICE_VARIABLES, NODE_VARIABLE],
  rows: [
    {
      title: 'CPU',
      panels: [
        {
          title: 'CPU utilization by mode',
          description: 'Share of all CPUs per mode (idle excluded); iowait points at the disk.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          stack: true,
          thresholds: [
            ['green', null],
            ['orange', 0.7],
            ['red', 0.9],
          ],
          queries: [
            {
              expr: `sum by (instance, mode) (${rate('node_cpu_seconds_total', node('mode!="idle"'))}) / on (instance) group_left count by (instance) (node_cpu_seconds_total${node('mode="idle"')})`,
              legend: '{{instance}} {{mode}}',
            },
          ],
        },
        {
          title: 'Load average and runnable processes',
          description: 'Load above the CPU count means work waits for a CPU.',
          unit: 'short',
          min: 0,
          w: 6,
          queries: [
            { expr: `node_load1${node()}`, legend: '{{instance}} load1' },
            { expr: `node_load5${node()}`, legend: '{{instance}} load5' },
            { expr: `node_load15${node()}`, legend: '{{instance}} load15' },
            { expr: `node_procs_running${node()}`, legend: '{{instance}} running' },
          ],
        },
        {
          title: 'Pressure stall: time waiting for CPU, memory, IO',
          description: 'Linux PSI: the fraction of time some task waited for the resource.',
          unit: 'percentunit',
          min: 0,
          w: 6,
          thresholds: [
            ['green', null],
            ['orange', 0.1],
            ['red', 0.3],
          ],
          queries: [
            { expr: rate('node_pressure_cpu_waiting_seconds_total', node()), legend: '{{instance}} cpu' },
            {
              expr: rate('node_pressure_memory_waiting_seconds_total', node()),
              legend: '{{instance}} memory',
            },
            { expr: rate('node_pressure_io_waiting_seconds_total', node()), legend: '{{instance}} io' },
          ],
        },
        {
          title: 'Context switches per second',
          description: 'Many more switches than records per second point at contention.',
          unit: 'ops',
          min: 0,
          w: 8,
          queries: [{ expr: rate('node_context_switches_total', node()), legend: '{{instance}}' }],
        },
        {
          title: 'Service process CPU (cores)',
          description: 'CPU seconds per second of each service process.',
          unit: 'suffix: cores',
          min: 0,
          w: 16,
          queries: [
            {
              expr: `sum by (service, instance) (${rate('process_cpu_seconds_total', app())})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Memory',
      panels: [
        {
          title: 'Host memory',
          description: 'Used (total minus available), page cache and buffers, against the total.',
          unit: 'bytes',
          min: 0,
          queries: [
            {
              expr: `node_memory_MemTotal_bytes${node()} - node_memory_MemAvailable_bytes${node()}`,
              legend: '{{instance}} used',
            },
            { expr: `node_memory_Cached_bytes${node()}`, legend: '{{instance}} page cache' },
            { expr: `node_memory_Buffers_bytes${node()}`, legend: '{{instance}} buffers' },
            { expr: `node_memory_MemFree_bytes${node()}`, legend: '{{instance}} free' },
            { expr: `node_memory_MemTotal_bytes${node()}`, legend: '{{instance}} total' },
          ],
        },
        {
          title: 'Service process memory',
          description: 'Resident set, V8 heap (total and used) per service process.',
          unit: 'bytes',
          min: 0,
          queries: [
            {
              expr: `sum by (service, instance) (process_resident_memory_bytes${app()})`,
              legend: '{{service}} {{instance}} RSS',
            },
            {
              expr: `sum by (service, instance) (nodejs_heap_size_total_bytes${app()})`,
              legend: '{{service}} {{instance}} heap total',
            },
            {
              expr: `sum by (service, instance) (nodejs_heap_size_used_bytes${app()})`,
              legend: '{{service}} {{instance}} heap used',
            },
          ],
        },
      ],
    },
    {
      title: 'Network and disk',
      panels: [
        {
          title: 'Network bytes per second, by device',
          description: 'Received and sent per network device.',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance, device) (${rate('node_network_receive_bytes_total', node())})`,
              legend: '{{instance}} {{device}} in',
            },
            {
              expr: `sum by (instance, device) (${rate('node_network_transmit_bytes_total', node())})`,
              legend: '{{instance}} {{device}} out',
            },
          ],
        },
        {
          title: 'Network packets per second, by device',
          description: 'Small records in small requests show as many packets for few bytes.',
          unit: 'pps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance, device) (${rate('node_network_receive_packets_total', node())})`,
              legend: '{{instance}} {{device}} in',
            },
            {
              expr: `sum by (instance, device) (${rate('node_network_transmit_packets_total', node())})`,
              legend: '{{instance}} {{device}} out',
            },
          ],
        },
        {
          title: 'Disk bytes per second, by device',
          description: 'Read and written per disk: LevelDB compactions, changelogs and the broker log.',
          unit: 'Bps',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance, device) (${rate('node_disk_read_bytes_total', node())})`,
              legend: '{{instance}} {{device}} read',
            },
            {
              expr: `sum by (instance, device) (${rate('node_disk_written_bytes_total', node())})`,
              legend: '{{instance}} {{device}} written',
            },
          ],
        },
        {
          title: 'Disk operations per second, by device',
          description: 'Reads and writes completed per disk (IOPS).',
          unit: 'iops',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (instance, device) (${rate('node_disk_reads_completed_total', node())})`,
              legend: '{{instance}} {{device}} reads',
            },
            {
              expr: `sum by (instance, device) (${rate('node_disk_writes_completed_total', node())})`,
              legend: '{{instance}} {{device}} writes',
            },
          ],
        },
        {
          title: 'Disk busy time, by device',
          description: 'Fraction of time the disk was doing IO: near 100% the disk is the bottleneck.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.6],
            ['red', 0.9],
          ],
          queries: [
            {
              expr: `sum by (instance, device) (${rate('node_disk_io_time_seconds_total', node())})`,
              legend: '{{instance}} {{device}}',
            },
          ],
        },
        {
          title: 'Filesystem space used',
          description: 'Used share of each filesystem; state directories and the broker log need room.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.8],
            ['red', 0.9],
          ],
          queries: [
            {
              expr: `1 - max by (instance, mountpoint) (node_filesystem_avail_bytes${node()} / node_filesystem_size_bytes${node()})`,
              legend: '{{instance}} {{mountpoint}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Node.js runtime',
      panels: [
        {
          title: 'Event-loop lag p99',
          description: "prom-client's event-loop delay percentile: timers and I/O callbacks wait this long.",
          unit: 's',
          min: 0,
          w: 8,
          thresholds: [
            ['green', null],
            ['orange', 0.05],
            ['red', 0.2],
          ],
          queries: [
            {
              expr: `max by (service, instance) (nodejs_eventloop_lag_p99_seconds${app()})`,
              legend: '{{service}} {{instance}}',
            },
          ],
        },
        {
          title: 'Garbage collection time per second, by kind',
          description: 'Seconds spent in GC per second: above a few percent, allocation rate is a cost.',
          unit: 'percentunit',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, kind) (${rate('nodejs_gc_duration_seconds_sum', app())})`,
              legend: '{{service}} {{kind}}',
            },
          ],
        },
        {
          title: 'Open file descriptors',
          description: 'LevelDB keeps files open per instance (maxOpenFiles); compare with the limit.',
          unit: 'short',
          min: 0,
          w: 8,
          queries: [
            {
              expr: `sum by (service, instance) (process_open_fds${app()})`,
              legend: '{{service}} {{instance}} open',
            },
            {
              expr: `max by (service) (process_max_fds${app()})`,
              legend: '{{service}} limit',
            },
          ],
        },
      ],
    },
  ],
};
