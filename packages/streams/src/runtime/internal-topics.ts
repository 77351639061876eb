import type { AdminPort, NewTopic } from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import { isTopicRef, resolveTopicName } from '../topology/nodes';
import type { Topology } from '../topology/topology';
import { deadLetterTopicOf } from './record-failure';
import { changelogTopicName } from '../topology/topic-names';

export class TopologyStartError extends Error {
  override readonly name = 'TopologyStartError';
}

export interface TopicPlan {
  /** Tasks (partition numbers) of each sub-topology. */
  readonly partitionsBySubtopology: ReadonlyMap<number, number>;
  /** Broker-side source topic name -> sub-topology id. */
  readonly subtopologyOfTopic: ReadonlyMap<string, number>;
  readonly sourceTopics: readonly string[];
  /** Topics the runtime creates if they do not exist. */
  readonly internalTopics: readonly NewTopic[];
}

/**
 * Works out every sub-topology's partition count, checks that the source topics of each
 * sub-topology are co-partitioned, and lists the internal topics (repartition,
 * changelog, dead letters) with their partition counts, as Kafka Streams does at startup.
 */
export async function planTopics(
  topology: Topology,
  config: StreamsConfig,
  admin: AdminPort,
): Promise<TopicPlan> {
  const appId = config.applicationId;
  const subs = topology.subtopologies();
  const specs = new Map(topology.internalTopics.map((s) => [s.name, s]));
  const external = [
    ...new Set(subs.flatMap((s) => s.sourceTopics.filter((t) => !t.internal).map((t) => t.name))),
  ];
  const internalNames = [...specs.keys()].map((n) => `${appId}-${n}`);
  const existing = await admin.partitionCounts([...external, ...internalNames]);
  const missing = external.filter((t) => !existing.has(t));
  if (missing.length) {
    throw new TopologyStartError(
      `source topic(s) ${missing.join(', ')} do not exist; create them before starting ${appId}`,
    );
  }

  // Which sub-topology writes each internal topic: its partition count flows downstream.
  const writerOf = new Map<string, number>();
  for (const sub of subs) {
    for (const sink of sub.sinks)
      if (isTopicRef(sink.topic) && sink.topic.internal) writerOf.set(sink.topic.name, sub.id);
  }
  const counts = new Map<string, number>(external.map((t) => [t, existing.get(t)!]));
  const bySub = new Map<number, number>();
  for (let pass = 0; pass <= subs.length && bySub.size < subs.length; pass++) {
    for (const sub of subs) {
      if (bySub.has(sub.id)) continue;
      let resolved = true;
      for (const t of sub.sourceTopics) {
        if (counts.has(t.name)) continue;
        const spec = specs.get(t.name);
        const upstream = writerOf.get(t.name);
        const fixed = spec?.partitions;
        if (fixed !== undefined) counts.set(t.name, fixed);
        else if (upstream !== undefined && bySub.has(upstream)) counts.set(t.name, bySub.get(upstream)!);
        else resolved = false;
      }
      if (!resolved) continue;
      const perTopic = sub.sourceTopics.map((t) => ({
        name: t.internal ? `${appId}-${t.name}` : t.name,
        n: counts.get(t.name)!,
      }));
      const distinct = new Set(perTopic.map((t) => t.n));
      if (distinct.size > 1) {
        throw new TopologyStartError(
          `sub-topology ${sub.id} reads topics that are not co-partitioned: ` +
            `${perTopic.map((t) => `${t.name} (${t.n} partitions)`).join(', ')}; ` +
            'records with the same key must be in the same partition number of each (repartition one side)',
        );
      }
      bySub.set(sub.id, perTopic[0]!.n);
    }
  }
  if (bySub.size < subs.length)
    throw new TopologyStartError(
      'cannot work out the partition count of every sub-topology (cycle of internal topics?)',
    );

  const internalTopics: NewTopic[] = [];
  const rf = config.replicationFactor;
  for (const spec of specs.values()) {
    const name = `${appId}-${spec.name}`;
    const partitions =
      counts.get(spec.name) ?? (writerOf.has(spec.name) ? bySub.get(writerOf.get(spec.name)!)! : 1);
    const have = existing.get(name);
    if (have !== undefined && have !== partitions) {
      throw new TopologyStartError(
        `internal topic ${name} has ${have} partitions, the topology needs ${partitions}; delete it (application reset) or fix the topology`,
      );
    }
    internalTopics.push({ topic: name, partitions, replicationFactor: rf, config: spec.config });
  }
  for (const sub of subs) {
    for (const storeName of sub.storeNames) {
      const builder = topology.storeBuilders.get(storeName)!;
      if (!builder.loggingEnabled) continue;
      internalTopics.push({
        topic: changelogTopicName(appId, storeName),
        partitions: bySub.get(sub.id)!,
        replicationFactor: rf,
        config: builder.changelogConfig(config),
      });
    }
  }
  internalTopics.push({ topic: deadLetterTopicOf(config), partitions: 1, replicationFactor: rf, config: {} });

  const subtopologyOfTopic = new Map<string, number>();
  for (const sub of subs)
    for (const t of sub.sourceTopics) subtopologyOfTopic.set(resolveTopicName(appId, t), sub.id);
  return {
    partitionsBySubtopology: bySub,
    subtopologyOfTopic,
    sourceTopics: [...subtopologyOfTopic.keys()],
    internalTopics,
  };
}
