import { kafkajsClients } from '../client/kafkajs/index';
import { backoffMs } from '../client/backoff';
import { isRetriableFailure, type AdminPort, type ClientFactory, type ProducerPort } from '../client/ports';
import { parseConfig, type StreamsConfig, type StreamsConfigInput } from '../config/schema';
import { StreamsEvents, type StreamsState } from '../observability/events';
import type { ChangelogReader } from '../restore/changelog-reader';
import type { TaskStateFactory } from '../state-manager/task-state';
import type { Topology } from '../topology/topology';
import { defaultTaskStateFactory } from '../state-manager/default-task-state';
import { planTopics } from './internal-topics';
import { TransactionAbortedError } from './commit';
import { RecordFailedError } from './record-failure';
import { StreamThread } from './stream-thread';

export interface KafkaStreamsOptions {
  /** Opens each task's stores; the state package's createTaskState by default. */
  taskStateFactory?: TaskStateFactory;
  /** How restore reads changelogs; null disables restore. */
  changelogReader?: ChangelogReader | null;
  /** The Kafka clients; kafkajs by default. */
  clients?: ClientFactory;
}

export type StateListener = (newState: StreamsState, oldState: StreamsState) => void;

/** Kafka Streams' state machine, reduced to one stream thread per instance. */
const TRANSITIONS: Record<StreamsState, readonly StreamsState[]> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  REBALANCING: ['RUNNING', 'REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

/**
 * Runs a topology against Kafka, like Kafka Streams' KafkaStreams: `start()`, `close()`,
 * a state listener, and `events` for metrics. One consumer group (the application id)
 * per application; one task per partition number of each sub-topology.
 */
/**
 * Thread restarts in a row (no commit in between) before the instance gives up (ERROR).
 * With the broker-unavailable backoff below, that rides out about three minutes of outage.
 */
const MAX_RESTARTS = 10;
const RESTART_BACKOFF_MAX_MS = 30_000;

export class KafkaStreams {
  readonly config: StreamsConfig;
  readonly events = new StreamsEvents();
  private current: StreamsState = 'CREATED';
  private listener: StateListener | undefined;
  private thread: StreamThread | undefined;
  private newThread: (() => StreamThread) | undefined;
  private newProducer: (() => ProducerPort) | undefined;
  private restarts = 0;
  private producer: ProducerPort | undefined;
  private admin: AdminPort | undefined;
  private failure: Error | undefined;
  private shutdown: Promise<void> | undefined;

  /** Throws ConfigError naming every unknown or invalid key. */
  constructor(
    private readonly topology: Topology,
    config: StreamsConfigInput,
    private readonly options: KafkaStreamsOptions = {},
  ) {
    this.config = parseConfig(config);
    // a commit is progress: the restarts before it were not "in a row"
    this.events.on('commit', () => {
      this.restarts = 0;
    });
  }

  state(): StreamsState {
    return this.current;
  }

  /** Why the instance is in ERROR, if it is. */
  error(): Error | undefined {
    return this.failure;
  }

  setStateListener(listener: StateListener): void {
    this.listener = listener;
  }

  /**
   * Checks the topics (sources exist, co-partitioning), creates internal topics, joins the
   * group. Resolves once started; processing begins when the first assignment is ready.
   */
  async start(): Promise<void> {
    if (this.current !== 'CREATED')
      throw new Error(`start() in state ${this.current}; a KafkaStreams starts once`);
    this.setState('REBALANCING');
    try {
      const clients = this.options.clients ?? kafkajsClients(this.config, this.events);
      this.admin = clients.admin();
      await this.admin.connect();
      const plan = await planTopics(this.topology, this.config, this.admin);
      await this.admin.createTopics(plan.internalTopics);
      this.producer = clients.producer();
      await this.producer.connect();
      const taskStateFactory = this.options.taskStateFactory ?? (await defaultTaskStateFactory());
      const changelogReader =
        this.options.changelogReader !== undefined
          ? this.options.changelogReader
          : (clients.changelogReader?.() ?? null);
      const admin = this.admin;
      this.newProducer = () => clients.producer();
      this.newThread = () =>
        new StreamThread({
          topology: this.topology,
          config: this.config,
          plan,
          consumer: clients.consumer({
            groupId: this.config.applicationId,
            taskKeyOf: (topic, partition) => `${plan.subtopologyOfTopic.get(topic) ?? -1}_${partition}`,
          }),
          producer: this.producer!,
          admin,
          events: this.events,
          taskStateFactory,
          changelogReader,
          ...(clients.transactionalProducer
            ? { transactionalProducer: (id: string) => clients.transactionalProducer!(id) }
            : {}),
          onStateChange: (s) => {
            if (this.current === 'REBALANCING' || this.current === 'RUNNING') this.setState(s);
          },
          onFatal: (error) => void this.onThreadFailed(error),
        });
      this.thread = this.newThread();
      await this.thread.start();
    } catch (e) {
      await this.fail(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  }

  /** Commits what was processed, closes tasks and leaves the group. */
  async close(): Promise<void> {
    if (this.shutdown) return this.shutdown;
    if (this.current === 'ERROR' || this.current === 'NOT_RUNNING') return;
    this.setState('PENDING_SHUTDOWN');
    this.shutdown = this.stopEverything(true).then(() => this.setState('NOT_RUNNING'));
    return this.shutdown;
  }

  /**
   * Two failures are recovered from by replacing the stream thread: an aborted transaction
   * (exactly_once_v2), as Kafka Streams does with a corrupted task, and a broker that cannot
   * be reached (kafkajs gave up its retries: a broker restart, a network cut), where Kafka
   * Streams' clients would keep retrying. The thread closes its tasks without committing;
   * the new one rejoins the group, restores the tasks' state and resumes from the committed
   * offsets. A broker outage waits between attempts (1 s, doubling, at most 30 s). Anything
   * else, or MAX_RESTARTS in a row, stops the instance.
   */
  private async onThreadFailed(error: Error): Promise<void> {
    for (;;) {
      const brokerUnavailable = !(error instanceof TransactionAbortedError) && isRetriableFailure(error);
      if ((!brokerUnavailable && !(error instanceof TransactionAbortedError)) || this.shutdown)
        return this.fail(error);
      if (this.restarts >= MAX_RESTARTS) return this.fail(error);
      this.restarts++;
      const waitMs = brokerUnavailable ? backoffMs(this.restarts, 1_000, RESTART_BACKOFF_MAX_MS) : 0;
      console.warn(
        `[streams] ${this.config.applicationId}: ${error.message}; restarting the stream thread` +
          (waitMs ? ` in ${waitMs} ms (attempt ${this.restarts} of ${MAX_RESTARTS})` : ''),
      );
      this.events.emit('thread.restarted', { reason: error.message });
      this.setState('REBALANCING');
      try {
        await this.thread?.stop(false);
        if (waitMs) await new Promise((r) => setTimeout(r, waitMs));
        if (this.shutdown) return;
        await this.replaceFailedProducer();
        this.thread = this.newThread!();
        await this.thread.start();
        return;
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
    }
  }

  /**
   * The shared producer's delivery errors are sticky (records were lost, so nothing may be
   * committed past them); the new thread resumes from the committed offsets and sends those
   * records again, through a new producer.
   */
  private async replaceFailedProducer(): Promise<void> {
    if (!this.producer?.failure?.()) return;
    await this.producer.disconnect().catch(() => undefined);
    this.producer = this.newProducer!();
    await this.producer.connect();
  }

  private async fail(error: Error): Promise<void> {
    if (this.shutdown) return this.shutdown;
    this.failure = error;
    console.error(
      `[streams] ${this.config.applicationId} stops with an error: ${error.stack ?? error.message}`,
    );
    this.setState('PENDING_ERROR');
    // logAndFail: what was processed before the bad record is committed; other errors (a failed send) cannot commit
    this.shutdown = this.stopEverything(error instanceof RecordFailedError).then(() =>
      this.setState('ERROR'),
    );
    return this.shutdown;
  }

  private async stopEverything(commit: boolean): Promise<void> {
    await this.thread
      ?.stop(commit)
      .catch((e: unknown) => console.error(`[streams] stop failed: ${(e as Error).message}`));
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private setState(to: StreamsState): void {
    const from = this.current;
    if (from === to) return;
    if (!TRANSITIONS[from].includes(to)) return;
    this.current = to;
    this.events.emit('state.change', { from, to });
    this.listener?.(to, from);
  }
}
