package dev.streamtune.bench;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One run of one SimpleBenchmark case on Kafka Streams, with Kafka Streams' defaults apart
 * from application.id, bootstrap.servers, state.dir and auto.offset.reset=earliest.
 *
 * <pre>
 * java -cp 'target/VERSION/kafka-streams-bench.jar:target/VERSION/lib/*' dev.streamtune.bench.SimpleBenchmark \
 *   --bootstrap HOST:PORT --case streamstreamjoin --input-a A --input-b B --output OUT \
 *   --application-id ID --state-dir DIR --expected-input N [--timeout-ms 600000]
 * </pre>
 *
 * Prints one JSON line to stdout: wall-clock epoch milliseconds of the start (before the
 * KafkaStreams object is made), the first input record, the last expected input record and
 * the end of close(); input and output counts; the effective config. The harness turns them
 * into records/s with the same rule as streamtune's runs.
 */
public final class SimpleBenchmark {
  private SimpleBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    String name = required(args, "case");
    long expected = Long.parseLong(required(args, "expected-input"));
    long timeoutMs = Long.parseLong(args.getOrDefault("timeout-ms", "600000"));

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, required(args, "application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, required(args, "bootstrap"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, required(args, "state-dir"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

    AtomicLong inputs = new AtomicLong();
    AtomicLong outputs = new AtomicLong();
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<String> error = new AtomicReference<>();
    Topologies.Counter input =
        () -> {
          long n = inputs.incrementAndGet();
          if (n == 1) first.set(System.currentTimeMillis());
          if (n == expected) {
            last.set(System.currentTimeMillis());
            done.countDown();
          }
        };

    long t0 = System.currentTimeMillis();
    KafkaStreams streams =
        new KafkaStreams(
            Topologies.build(
                name, required(args, "input-a"), args.get("input-b"), args.get("output"), input, outputs),
            props);
    streams.setUncaughtExceptionHandler(
        e -> {
          error.compareAndSet(null, e.toString());
          done.countDown();
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) done.countDown();
        });
    streams.start();
    boolean finished = done.await(timeoutMs, TimeUnit.MILLISECONDS) && last.get() > 0;
    String state = streams.state().toString();
    streams.close(Duration.ofSeconds(60));
    long closedAt = System.currentTimeMillis();
    if (!finished && error.get() == null)
      error.set("stopped at " + inputs.get() + "/" + expected + " (" + state + ")");

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("engine", "kafka-streams");
    out.put("version", builtVersion());
    out.put("case", name);
    out.put("inputRecords", inputs.get());
    out.put("outputRecords", outputs.get());
    out.put("startedAtMs", t0);
    out.put("firstRecordAtMs", first.get());
    out.put("lastRecordAtMs", last.get());
    out.put("closedAtMs", closedAt);
    out.put("config", effectiveConfig(props));
    out.put("error", error.get());
    System.out.println(json(out));
    System.out.flush();
    System.exit(0);
  }

  /** What the run actually ran with: Kafka Streams' defaults, read back from its config. */
  private static Map<String, Object> effectiveConfig(Properties props) {
    StreamsConfig config = new StreamsConfig(props);
    // the producer's own defaults under Kafka Streams' overrides (the serializers are required)
    Map<String, Object> producerProps = new HashMap<>(config.getProducerConfigs("bench"));
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    ProducerConfig producer = new ProducerConfig(producerProps);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("num.stream.threads", config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    c.put("commit.interval.ms", config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    c.put("processing.guarantee", config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    c.put("statestore.cache.max.bytes", config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
    c.put("producer.linger.ms", producer.getLong(ProducerConfig.LINGER_MS_CONFIG));
    c.put("producer.batch.size", producer.getInt(ProducerConfig.BATCH_SIZE_CONFIG));
    return c;
  }

  /** The kafka-streams version this jar was built with (pom.xml's kafka.version, filtered in). */
  private static String builtVersion() {
    try (InputStream in = SimpleBenchmark.class.getResourceAsStream("/kafka-streams-bench.properties")) {
      Properties p = new Properties();
      if (in != null) p.load(in);
      return p.getProperty("kafka.version");
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --name value at " + argv[i]);
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    return args;
  }

  private static String required(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }

  private static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    if (v instanceof Map) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (sb.length() > 1) sb.append(',');
        sb.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
      }
      return sb.append('}').toString();
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : v.toString().toCharArray()) {
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"').toString();
  }
}
