import { filterProcessor } from '../processor/stateless';
import type { Serde } from '../serdes/serde';
import type { KStream } from './kstream';

/**
 * The repartition step of an aggregation, a stream-to-table conversion or a join after a
 * key change, named as Kafka Streams names it: `<prefix>-repartition-filter` drops null
 * keys, `<prefix>-repartition-sink` writes `<applicationId>-<prefix>-repartition`,
 * `<prefix>-repartition-source` reads it back in a new sub-topology. Returns the source.
 */
export function repartitionForKey<K, V>(
  stream: KStream<K, V>,
  prefix: string,
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
): string {
  const topology = stream.builder.internalTopology;
  const topic = `${prefix}-repartition`;
  const filterName = `${prefix}-repartition-filter`;
  const sinkName = `${prefix}-repartition-sink`;
  const sourceName = `${prefix}-repartition-source`;
  stream.builder.addProcessor(
    filterName,
    filterProcessor<K, V>((key) => key !== null && key !== undefined, false),
    [stream.nodeName],
  );
  topology.addInternalTopic({ name: topic, partitions: undefined, config: { 'cleanup.policy': 'delete' } });
  topology.addSink(sinkName, topic, { keySerde, valueSerde, internal: true }, filterName);
  topology.addSource(sourceName, topic, { keySerde, valueSerde, internal: true });
  return sourceName;
}
