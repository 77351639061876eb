// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * Consumer-group lag: records on the broker past each group's committed offsets, over the
 * group's input and repartition topics. The services' own
 * `streamtune_consumer_lag_records` is the lag of the last fetch, which stays near 0 while
 * fetched records wait in the tasks' queues; this is what is not yet processed and committed.
 */
export class GroupLag {
  private admin: Admin | undefined;

  constructor(private readonly brokers: string) {}

  /**
   * Lag per group id; a group that cannot be read this time is left out. `sources` are the
   * group's input topics; its repartition topics (`<group>-...-repartition`) count too.
   */
  async measure(groups: ReadonlyMap<string, readonly string[]>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    try {
      const admin = await this.connect();
      const existing = await admin.listTopics();
      for (const [groupId, sources] of groups) {
        const internal = existing.filter((t) => t.startsWith(`${groupId}-`) && t.endsWith('-repartition'));
        const topics = [...sources, ...internal].filter((t) => existing.includes(t));
        const committed = await admin.fetchOffsets({ groupId, topics });
        let lag = 0;
        for (const { topic, partitions } of committed) {
          const offsets = await admin.fetchTopicOffsets(topic);
          for (const p of partitions) {
            const o = offsets.find((x) => x.partition === p.partition);
            if (!o) continue;
            // nothing committed yet: all that is still on the broker is ahead of the group
            const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(o.low);
            lag += Math.max(0, Number(o.high) - from);
          }
        }
        out.set(groupId, lag);
      }
    } catch {
      // a broker busy with a rebalance or a restart: no figure this round
    }
    return out;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<Admin> {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: 'streamtune-demo',
        brokers: this.brokers.split(','),
        logLevel: logLevel.NOTHING,
      });
      this.admin = kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }
}
