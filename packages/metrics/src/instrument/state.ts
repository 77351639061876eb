import type { StreamsState } from '@streamtune/streams';
import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import type { ServiceMetrics } from '../service-metrics';
import { counter, gauge } from './families';
import type { Instruments } from './types';

const STATES: readonly StreamsState[] = [
  'CREATED',
  'REBALANCING',
  'RUNNING',
  'PENDING_SHUTDOWN',
  'NOT_RUNNING',
  'PENDING_ERROR',
  'ERROR',
];

/**
 * The client state as a gauge per state, and what /readyz and /healthz answer:
 * ready once the client has been RUNNING and no store is restoring; it stays ready
 * through later rebalances (a rolling deploy would otherwise stall on every one)
 * but not through a restore, so a deploy waits for restored state before moving on.
 */
export class StateInstruments implements Instruments {
  private readonly stateGauge;
  private readonly transitions;
  private current: StreamsState = 'CREATED';
  private hasRun = false;
  private activeRestores = 0;

  constructor(
    registry: Registry,
    private readonly metrics: ServiceMetrics,
  ) {
    this.stateGauge = gauge(registry, m.state);
    this.transitions = counter(registry, m.stateTransitions);
    for (const state of STATES) this.transitions.series(state);
    // instrumentStreams is called before start(), so the client is CREATED until told otherwise.
    this.show('CREATED');
  }

  subscribe(events: Parameters<Instruments['subscribe']>[0]) {
    return [
      events.on('state.change', (e) => {
        this.transitions.series(e.to).value++;
        this.show(e.to);
      }),
    ];
  }

  /** The client was already running when instrumented: show its state as it is now. */
  sync(state: StreamsState): void {
    if (state !== this.current) this.show(state);
  }

  restoresChanged(active: number): void {
    this.activeRestores = active;
    this.updateProbes();
  }

  private show(state: StreamsState): void {
    this.current = state;
    if (state === 'RUNNING') this.hasRun = true;
    for (const s of STATES) this.stateGauge.set({ state: s }, s === state ? 1 : 0);
    this.updateProbes();
  }

  private updateProbes(): void {
    const state = this.current;
    if (state === 'ERROR' || state === 'PENDING_ERROR') this.metrics.markUnhealthy(`streams state ${state}`);
    const running = state === 'RUNNING' || (state === 'REBALANCING' && this.hasRun);
    if (running && this.activeRestores === 0) this.metrics.markReady();
    else if (running) this.metrics.markNotReady(`restoring ${this.activeRestores} store(s)`);
    else this.metrics.markNotReady(`streams state ${state}`);
  }
}
