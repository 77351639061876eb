import { StreamsEvents, type StreamsEventName } from '@streamtune/streams';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceMetrics, instrumentStreams, type ServiceMetrics } from '../src/index';
import { emitAll, instrumented, sampleEvents, seriesCount, value } from './helpers';

let metrics: ServiceMetrics;
let events: StreamsEvents;
afterEach(async () => metrics?.close());

async function setup() {
  ({ metrics, events } = await instrumented());
}

const task = '0_1';

describe('instrumentStreams', () => {
  it('every event kind moves at least one streamtune_ series', async () => {
    await setup();
    for (const [name, event] of Object.entries(sampleEvents)) {
      const before = await metrics.registry.metrics();
      events.emit(name as StreamsEventName, event as never);
      const after = await metrics.registry.metrics();
      const changed = (text: string) =>
        text.split('\n').filter((l) => l.startsWith('streamtune_') && !l.startsWith('streamtune_event_loop'));
      expect(changed(after), name).not.toEqual(changed(before));
    }
  });

  it('counts processed records per task and topic, latency in seconds', async () => {
    await setup();
    events.emit('record.processed', {
      taskId: { subtopology: 0, partition: 1 },
      topic: 'orders',
      latencyMs: 2,
    });
    events.emit('record.processed', {
      taskId: { subtopology: 0, partition: 1 },
      topic: 'orders',
      latencyMs: 4,
    });
    events.emit('record.processed', {
      taskId: { subtopology: 1, partition: 0 },
      topic: 'orders',
      latencyMs: 4,
    });
    expect(await value(metrics, 'streamtune_records_processed_total', { task, topic: 'orders' })).toBe(2);
    expect(await value(metrics, 'streamtune_records_processed_total', { task: '1_0', topic: 'orders' })).toBe(
      1,
    );
    expect(await value(metrics, 'streamtune_process_latency_seconds', { task }, '_sum')).toBeCloseTo(0.006);
    expect(await value(metrics, 'streamtune_process_latency_seconds', { task, le: '0.002' }, '_bucket')).toBe(
      1,
    );
    expect(await value(metrics, 'streamtune_process_latency_seconds', { task, le: '0.005' }, '_bucket')).toBe(
      2,
    );
  });

  it('records e2e latency per processor and per output topic, clamping future timestamps to 0', async () => {
    await setup();
    const taskId = { subtopology: 0, partition: 1 };
    events.emit('record.e2e', { taskId, processor: 'join', e2eLatencyMs: 1500 });
    events.emit('record.e2e', { taskId, processor: 'join', e2eLatencyMs: -20 });
    events.emit('record.sent', { taskId, processor: 'sink', topic: 'out', e2eLatencyMs: 90_000 });
    expect(
      await value(metrics, 'streamtune_record_e2e_latency_seconds', { processor: 'join' }, '_count'),
    ).toBe(2);
    expect(await value(metrics, 'streamtune_record_e2e_latency_seconds', { processor: 'join' }, '_sum')).toBe(
      1.5,
    );
    expect(
      await value(
        metrics,
        'streamtune_record_e2e_latency_seconds',
        { processor: 'join', le: '0.001' },
        '_bucket',
      ),
    ).toBe(1);
    expect(
      await value(metrics, 'streamtune_output_e2e_latency_seconds', { topic: 'out', le: '60' }, '_bucket'),
    ).toBe(0);
    expect(
      await value(metrics, 'streamtune_output_e2e_latency_seconds', { topic: 'out', le: '120' }, '_bucket'),
    ).toBe(1);
  });

  it('counts dropped records by reason with their count, and dead letters by source topic', async () => {
    await setup();
    const taskId = { subtopology: 0, partition: 1 };
    events.emit('record.dropped', { taskId, processor: 'join', reason: 'expired-window', count: 3 });
    events.emit('record.dropped', { taskId, processor: 'join', reason: 'expired-window', count: 1 });
    events.emit('record.dead-lettered', {
      taskId: null,
      topic: 'orders',
      partition: 0,
      offset: '7',
      reason: 'deserialization',
      error: 'bad json',
    });
    expect(
      await value(metrics, 'streamtune_dropped_records_total', {
        task,
        processor: 'join',
        reason: 'expired-window',
      }),
    ).toBe(4);
    expect(
      await value(metrics, 'streamtune_dead_letters_total', { topic: 'orders', reason: 'deserialization' }),
    ).toBe(1);
  });

  it('reports stream time lag at scrape time', async () => {
    await setup();
    events.emit('task.stream-time', {
      taskId: { subtopology: 0, partition: 1 },
      streamTimeMs: Date.now() - 60_000,
    });
    const lag = await value(metrics, 'streamtune_stream_time_lag_seconds', { task });
    expect(lag).toBeGreaterThanOrEqual(60);
    expect(lag).toBeLessThan(3600);
  });

  it('splits commit latency into producer flush, store flush and offset commit', async () => {
    await setup();
    expect(await value(metrics, 'streamtune_commits_total', { reason: 'interval' })).toBe(0);
    events.emit('commit', sampleEvents.commit);
    expect(await value(metrics, 'streamtune_commits_total', { reason: 'interval' })).toBe(1);
    expect(await value(metrics, 'streamtune_commit_latency_seconds', {}, '_sum')).toBeCloseTo(0.03);
    expect(
      await value(metrics, 'streamtune_commit_phase_latency_seconds', { phase: 'producer_flush' }, '_sum'),
    ).toBeCloseTo(0.02);
    expect(
      await value(metrics, 'streamtune_commit_phase_latency_seconds', { phase: 'store_flush' }, '_sum'),
    ).toBeCloseTo(0.006);
    expect(
      await value(metrics, 'streamtune_commit_phase_latency_seconds', { phase: 'offset_commit' }, '_sum'),
    ).toBeCloseTo(0.004);
    expect(await value(metrics, 'streamtune_commit_tasks')).toBe(3);
  });

  it('tracks fetches, lag per partition, rebalances and assigned partitions', async () => {
    await setup();
    events.emit('consumer.fetch', { topic: 'orders', partition: 0, records: 10, bytes: 1000 });
    events.emit('consumer.fetch', { topic: 'orders', partition: 1, records: 30, bytes: 3000 });
    events.emit('consumer.lag', { topic: 'orders', partition: 1, lag: 500 });
    events.emit('consumer.rebalance', { phase: 'assigned', durationMs: 200, partitions: 6 });
    expect(await value(metrics, 'streamtune_consumer_fetches_total', { topic: 'orders' })).toBe(2);
    expect(await value(metrics, 'streamtune_consumer_records_fetched_total', { topic: 'orders' })).toBe(40);
    expect(await value(metrics, 'streamtune_consumer_fetched_bytes_total', { topic: 'orders' })).toBe(4000);
    expect(await value(metrics, 'streamtune_consumer_records_per_fetch', { le: '10' }, '_bucket')).toBe(1);
    expect(await value(metrics, 'streamtune_consumer_lag_records', { topic: 'orders', partition: '1' })).toBe(
      500,
    );
    expect(await value(metrics, 'streamtune_consumer_rebalances_total', { phase: 'assigned' })).toBe(1);
    expect(
      await value(metrics, 'streamtune_consumer_rebalance_duration_seconds', { phase: 'assigned' }, '_sum'),
    ).toBe(0.2);
    expect(await value(metrics, 'streamtune_consumer_assigned_partitions')).toBe(6);
  });

  it('drops per-task and per-partition series when the assignment is revoked', async () => {
    await setup();
    emitAll(events);
    expect(await seriesCount(metrics, 'streamtune_consumer_lag_records')).toBe(1);
    events.emit('consumer.rebalance', { phase: 'revoked', durationMs: 10, partitions: 4 });
    for (const name of [
      'streamtune_consumer_lag_records',
      'streamtune_stream_time_lag_seconds',
      'streamtune_store_approximate_memory_bytes',
      'streamtune_restore_remaining_records',
    ]) {
      expect(await seriesCount(metrics, name), name).toBe(0);
    }
    expect(await value(metrics, 'streamtune_consumer_assigned_partitions')).toBe(0);
    // counters keep counting across rebalances
    expect(await value(metrics, 'streamtune_records_processed_total', { task, topic: 'orders' })).toBe(1);
  });

  it('counts produce requests, not their per-partition batches', async () => {
    await setup();
    const ok = sampleEvents['producer.request'];
    expect(await value(metrics, 'streamtune_producer_produce_requests_total')).toBe(0);
    // one request with three partitions' batches: one burst, one latency
    for (const partition of [0, 1, 2]) events.emit('producer.request', { ...ok, partition, latencyMs: 7 });
    await Promise.resolve();
    // the next request, even with the same latency, completes in a later turn
    events.emit('producer.request', { ...ok, latencyMs: 7 });
    events.emit('producer.request', { ...ok, latencyMs: 9 });
    expect(await value(metrics, 'streamtune_producer_produce_requests_total')).toBe(3);
    expect(
      await value(metrics, 'streamtune_producer_requests_total', { topic: 'enriched', outcome: 'success' }),
    ).toBe(5);
  });

  it('counts sent records and bytes only for acknowledged requests, errors by outcome', async () => {
    await setup();
    const ok = sampleEvents['producer.request'];
    events.emit('producer.request', ok);
    events.emit('producer.request', { ...ok, error: 'NOT_LEADER_OR_FOLLOWER' });
    events.emit('producer.buffer', { bufferedBytes: 1234, inFlightRequests: 1 });
    expect(
      await value(metrics, 'streamtune_producer_requests_total', { topic: 'enriched', outcome: 'success' }),
    ).toBe(1);
    expect(
      await value(metrics, 'streamtune_producer_requests_total', { topic: 'enriched', outcome: 'error' }),
    ).toBe(1);
    expect(await value(metrics, 'streamtune_producer_records_sent_total', { topic: 'enriched' })).toBe(50);
    expect(await value(metrics, 'streamtune_producer_sent_bytes_total', { topic: 'enriched' })).toBe(20_000);
    expect(await value(metrics, 'streamtune_producer_batch_size_bytes', { le: '16384' }, '_bucket')).toBe(0);
    expect(await value(metrics, 'streamtune_producer_batch_size_bytes', { le: '65536' }, '_bucket')).toBe(1);
    expect(await value(metrics, 'streamtune_producer_batch_records', {}, '_sum')).toBe(50);
    expect(await value(metrics, 'streamtune_producer_request_latency_seconds', {}, '_count')).toBe(2);
    expect(await value(metrics, 'streamtune_producer_queue_time_seconds', {}, '_sum')).toBeCloseTo(0.01);
    expect(await value(metrics, 'streamtune_producer_buffered_bytes')).toBe(1234);
    expect(await value(metrics, 'streamtune_producer_in_flight_requests')).toBe(1);
  });

  it('exposes store latency, physical stats and the footprint budget', async () => {
    await setup();
    events.emit('store.operation', sampleEvents['store.operation']);
    events.emit('store.stats', sampleEvents['store.stats']);
    events.emit('store.footprint', sampleEvents['store.footprint']);
    const labels = { task, store: 'orders-window', layout: 'segmented' };
    expect(
      await value(
        metrics,
        'streamtune_store_operation_latency_seconds',
        { store: 'orders-window', op: 'put' },
        '_count',
      ),
    ).toBe(1);
    expect(await value(metrics, 'streamtune_store_open_instances', labels)).toBe(3);
    expect(await value(metrics, 'streamtune_store_segments', labels)).toBe(3);
    expect(await value(metrics, 'streamtune_store_disk_usage_bytes', labels)).toBe(1_000_000);
    expect(await value(metrics, 'streamtune_store_approximate_memory_bytes', labels)).toBe(4_000_000);
    expect(await value(metrics, 'streamtune_store_footprint_bytes', { layout: 'segmented' })).toBe(
      50_000_000,
    );
    expect(await value(metrics, 'streamtune_store_footprint_instances', { layout: 'segmented' })).toBe(12);
  });

  it('follows a restore from start to end', async () => {
    await setup();
    events.emit('restore.start', sampleEvents['restore.start']);
    expect(await value(metrics, 'streamtune_restores_active')).toBe(1);
    expect(
      await value(metrics, 'streamtune_restore_remaining_records', { task, store: 'orders-window' }),
    ).toBe(1000);
    events.emit('restore.batch', {
      taskId: { subtopology: 0, partition: 1 },
      store: 'orders-window',
      restored: 400,
      remaining: 600,
    });
    expect(await value(metrics, 'streamtune_restore_records_total', { store: 'orders-window' })).toBe(400);
    // `restored` is a running total: the counter moves by the increase
    events.emit('restore.batch', {
      taskId: { subtopology: 0, partition: 1 },
      store: 'orders-window',
      restored: 1000,
      remaining: 0,
    });
    expect(await value(metrics, 'streamtune_restore_records_total', { store: 'orders-window' })).toBe(1000);
    events.emit('restore.end', sampleEvents['restore.end']);
    expect(await value(metrics, 'streamtune_restore_records_total', { store: 'orders-window' })).toBe(1000);
    expect(await value(metrics, 'streamtune_restores_active')).toBe(0);
    expect(
      await value(metrics, 'streamtune_restore_remaining_records', { task, store: 'orders-window' }),
    ).toBe(0);
    expect(
      await value(metrics, 'streamtune_restore_duration_seconds', { store: 'orders-window' }, '_sum'),
    ).toBe(0.25);
    expect(
      await value(metrics, 'streamtune_restore_rate_records_per_second', { task, store: 'orders-window' }),
    ).toBe(4000);
  });

  it('shows the current state as 1 and counts transitions', async () => {
    await setup();
    expect(await value(metrics, 'streamtune_state', { state: 'CREATED' })).toBe(1);
    events.emit('state.change', { from: 'CREATED', to: 'REBALANCING' });
    events.emit('state.change', { from: 'REBALANCING', to: 'RUNNING' });
    expect(await value(metrics, 'streamtune_state', { state: 'CREATED' })).toBe(0);
    expect(await value(metrics, 'streamtune_state', { state: 'RUNNING' })).toBe(1);
    expect(await value(metrics, 'streamtune_state_transitions_total', { state: 'RUNNING' })).toBe(1);
    expect(await value(metrics, 'streamtune_state_transitions_total', { state: 'ERROR' })).toBe(0);
  });

  it('takes the client itself and its current state, so it can be instrumented after start()', async () => {
    metrics = await createServiceMetrics({ service: 'unit', instance: 'i-1', port: 0, host: '127.0.0.1' });
    const client = { events: new StreamsEvents(), state: () => 'RUNNING' as const };
    instrumentStreams(metrics, client);
    expect(await value(metrics, 'streamtune_state', { state: 'RUNNING' })).toBe(1);
    expect(await value(metrics, 'streamtune_state', { state: 'CREATED' })).toBe(0);
    expect(metrics.ready).toBe(true);
    client.events.emit('record.processed', {
      taskId: { subtopology: 0, partition: 1 },
      topic: 't',
      latencyMs: 1,
    });
    expect(await value(metrics, 'streamtune_records_processed_total', { task, topic: 't' })).toBe(1);
  });

  it('adds up the events of two clients on one registry, and unsubscribes', async () => {
    await setup();
    const second = new StreamsEvents();
    const unsubscribe = instrumentStreams(metrics, second);
    const processed = { taskId: { subtopology: 0, partition: 1 }, topic: 'orders', latencyMs: 1 };
    events.emit('record.processed', processed);
    second.emit('record.processed', processed);
    unsubscribe();
    second.emit('record.processed', processed);
    expect(second.has('record.processed')).toBe(false);
    expect(await value(metrics, 'streamtune_records_processed_total', { task, topic: 'orders' })).toBe(2);
  });
});
