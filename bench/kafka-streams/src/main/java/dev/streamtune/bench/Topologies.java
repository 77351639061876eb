package dev.streamtune.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The SimpleBenchmark cases, each the same topology as streamtune's in
 * bench/micro/simple/streamtune-cases.ts: String keys, byte[] values, inputs counted as they
 * leave the source, outputs counted at the end of the topology.
 */
final class Topologies {
  static final long WINDOW_STORE_SIZE_MS = 1_000;
  static final long WINDOW_STORE_RETENTION_MS = 3 * WINDOW_STORE_SIZE_MS;
  static final long JOIN_WINDOW_MS = 10_000;
  static final String WINDOW_STORE = "window-store";

  private Topologies() {}

  interface Counter {
    void record();
  }

  static Topology build(
      String name, String inputA, String inputB, String output, Counter input, AtomicLong outputs) {
    Serde<String> keys = Serdes.String();
    Serde<byte[]> values = Serdes.ByteArray();
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, byte[]> a =
        builder.stream(inputA, Consumed.with(keys, values)).peek((k, v) -> input.record());
    switch (name) {
      case "streamprocess":
        a.peek((k, v) -> outputs.incrementAndGet());
        break;
      case "streamprocesswithsink":
        a.peek((k, v) -> outputs.incrementAndGet()).to(output, Produced.with(keys, values));
        break;
      case "streamprocesswithwindowstore":
        builder.addStateStore(
            Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                    WINDOW_STORE,
                    Duration.ofMillis(WINDOW_STORE_RETENTION_MS),
                    Duration.ofMillis(WINDOW_STORE_SIZE_MS),
                    false),
                keys,
                values));
        a.process(WindowStoreProcessor::new, WINDOW_STORE).peek((k, v) -> outputs.incrementAndGet());
        break;
      case "streamstreamjoin":
        KStream<String, byte[]> b =
            builder.stream(inputB, Consumed.with(keys, values)).peek((k, v) -> input.record());
        a.leftJoin(
                b,
                (l, r) -> l,
                JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(JOIN_WINDOW_MS)),
                StreamJoined.with(keys, values, values).withStoreName("bench-join"))
            .peek((k, v) -> outputs.incrementAndGet());
        break;
      default:
        throw new IllegalArgumentException("unknown case " + name);
    }
    return builder.build();
  }

  /** Fetches the key's last second (reading every entry), puts the record, forwards it. */
  static final class WindowStoreProcessor implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;
    private WindowStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(WINDOW_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      long ts = record.timestamp();
      try (WindowStoreIterator<byte[]> it =
          store.fetch(
              record.key(), Instant.ofEpochMilli(ts - WINDOW_STORE_SIZE_MS), Instant.ofEpochMilli(ts))) {
        while (it.hasNext()) it.next();
      }
      store.put(record.key(), record.value(), ts);
      context.forward(record);
    }
  }
}
