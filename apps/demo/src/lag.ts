import { Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * Consumer-group lag: records on the broker past each group's committed offsets, over every
 * topic the group commits (inputs and repartition topics). The services' own
 * `streamtune_consumer_lag_records` is the lag of the last fetch, which stays near 0 while
 * fetched records wait in the tasks' queues; this is what is not yet processed and committed.
 */
export class GroupLag {
  private admin: Admin | undefined;

  constructor(private readonly brokers: string) {}

  /** Lag per group id; a group that cannot be read this time is left out. */
  async measure(groups: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    try {
      const admin = await this.connect();
      const committed = await Promise.all(groups.map((groupId) => admin.fetchOffsets({ groupId })));
      const topics = [...new Set(committed.flat().map((t) => t.topic))];
      const offsets = new Map(
        await Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const)),
      );
      groups.forEach((group, i) => {
        let lag = 0;
        for (const { topic, partitions } of committed[i]!) {
          for (const p of partitions) {
            const o = offsets.get(topic)?.find((x) => x.partition === p.partition);
            if (!o) continue;
            // nothing committed yet: all that is still on the broker is ahead of the group
            const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(o.low);
            lag += Math.max(0, Number(o.high) - from);
          }
        }
        out.set(group, lag);
      });
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
