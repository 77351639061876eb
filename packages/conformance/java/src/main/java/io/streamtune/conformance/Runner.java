package io.streamtune.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs every scenario of a scenario file (JSON array, see packages/conformance/src/scenario.ts)
 * through Kafka Streams' TopologyTestDriver in this one JVM and writes, per scenario, the
 * records the output topic received after each step: [[key, value, timestamp], ...] per step.
 *
 * Usage: Runner <scenarios.json> <results.json>
 * System property conformance.stores: "rocksdb" (default, Kafka Streams' default) or "in-memory"
 * for the DSL stores.
 */
public final class Runner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMIT_INTERVAL = "__emit.interval.ms.kstreams.outer.join.spurious.results.fix__";

    private Runner() {}

    public static void main(final String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Runner <scenarios.json> <results.json>");
            System.exit(2);
        }
        final JsonNode scenarios = JSON.readTree(new File(args[0]));
        final Path stateRoot = Files.createTempDirectory("conformance-kafka-streams-");
        final ArrayNode results = JSON.createArrayNode();
        try {
            int n = 0;
            for (final JsonNode scenario : scenarios) {
                results.add(run(scenario, stateRoot.resolve("s" + n++)));
            }
        } finally {
            deleteTree(stateRoot);
        }
        final ObjectNode out = JSON.createObjectNode();
        out.put("engine", "kafka-streams");
        out.put("version", System.getProperty("conformance.kafkaVersion", "unknown"));
        out.set("results", results);
        JSON.writeValue(new File(args[1]), out);
    }

    private static ObjectNode run(final JsonNode scenario, final Path stateDir) {
        final ObjectNode result = JSON.createObjectNode();
        result.put("id", scenario.get("id").asText());
        final ArrayNode steps = result.putArray("steps");
        try {
            final JsonNode topology = scenario.get("topology");
            final Topology built = build(topology);
            final Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "conformance");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
            props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put("statestore.cache.max.bytes", "0");
            // Kafka Streams' default stores (RocksDB) unless asked otherwise: its in-memory window
            // store differs (a null value advances its retention time; RocksDB's skips the put)
            if ("in-memory".equals(System.getProperty("conformance.stores", "rocksdb"))) {
                props.put("dsl.store.suppliers.class",
                    "org.apache.kafka.streams.state.BuiltInDslStoreSuppliers$InMemoryDslStoreSuppliers");
            }
            final JsonNode join = topology.get("join");
            if (join != null && join.has("emitIntervalMs")) {
                props.put(EMIT_INTERVAL, join.get("emitIntervalMs").asLong());
            }
            final long wallClock = scenario.has("initialWallClockMs") ? scenario.get("initialWallClockMs").asLong() : 0L;
            try (TopologyTestDriver driver = new TopologyTestDriver(built, props, Instant.ofEpochMilli(wallClock))) {
                final StringSerializer ser = new StringSerializer();
                final StringDeserializer de = new StringDeserializer();
                final TestInputTopic<String, String> left = driver.createInputTopic("left", ser, ser);
                final TestInputTopic<String, String> right = usesRight(topology) ? driver.createInputTopic("right", ser, ser) : null;
                final TestOutputTopic<String, String> out = driver.createOutputTopic("out", de, de);
                for (final JsonNode step : scenario.get("steps")) {
                    if (step.has("advanceWallClockMs")) {
                        driver.advanceWallClockTime(Duration.ofMillis(step.get("advanceWallClockMs").asLong()));
                    } else {
                        final TestInputTopic<String, String> input = "right".equals(step.get("input").asText()) ? right : left;
                        if (input == null) throw new IllegalArgumentException("scenario pipes into right but the topology does not read it");
                        input.pipeInput(text(step.get("key")), text(step.get("value")), step.get("timestamp").asLong());
                    }
                    final ArrayNode records = steps.addArray();
                    for (final TestRecord<String, String> r : out.readRecordsToList()) {
                        final ArrayNode rec = records.addArray();
                        rec.add(r.key());
                        rec.add(r.value());
                        rec.add(r.timestamp());
                    }
                }
            }
        } catch (final Throwable e) {
            // the root cause names what failed (a StreamsException only says where)
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage()
                + (root == e ? "" : " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"));
        }
        return result;
    }

    private static boolean usesRight(final JsonNode topology) {
        if (topology.has("join") || topology.path("table").has("join")) return true;
        for (final JsonNode op : topology.path("left")) {
            if ("merge".equals(op.get("op").asText())) return true;
        }
        return false;
    }

    private static String text(final JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    // ------------------------------------------------------------------ topology

    private static Topology build(final JsonNode topology) {
        final StreamsBuilder builder = new StreamsBuilder();
        final int[] splits = {0};
        if (topology.has("table")) {
            final KStream<String, String> tables = Tables.tables(builder, topology.get("table"), topology.path("right"),
                (s, o) -> ops(builder, s, o, splits));
            ops(builder, tables, topology.path("after"), splits).to("out");
            return builder.build();
        }
        final KStream<String, String> left = ops(builder, builder.stream("left"), topology.path("left"), splits);
        KStream<String, String> out = left;
        if (topology.has("aggregate")) {
            out = ops(builder, Tables.aggregate(left, topology.get("aggregate")), topology.path("after"), splits);
        }
        final JsonNode join = topology.get("join");
        if (join != null) {
            final KStream<String, String> right = ops(builder, builder.stream("right"), topology.path("right"), splits);
            final long before = join.get("beforeMs").asLong();
            final long after = join.get("afterMs").asLong();
            JoinWindows windows = JoinWindows.ofTimeDifferenceAndGrace(Duration.ZERO, Duration.ofMillis(join.get("graceMs").asLong()));
            windows = before >= 0
                ? windows.before(Duration.ofMillis(before)).after(Duration.ofMillis(after))
                : windows.after(Duration.ofMillis(after)).before(Duration.ofMillis(before));
            final ValueJoiner<String, String, String> joiner = (l, r) -> l + "+" + r;
            switch (join.get("type").asText()) {
                case "inner": out = left.join(right, joiner, windows); break;
                case "left": out = left.leftJoin(right, joiner, windows); break;
                case "outer": out = left.outerJoin(right, joiner, windows); break;
                default: throw new IllegalArgumentException("join type " + join.get("type"));
            }
            out = ops(builder, out, topology.path("after"), splits);
        }
        out.to("out");
        return builder.build();
    }

    /** Java's String.hashCode, floor-modded: the predicates and key selectors of the scenarios. */
    static int bucket(final String value, final int mod) {
        return Math.floorMod(value == null ? 0 : value.hashCode(), mod);
    }

    private static KStream<String, String> ops(final StreamsBuilder builder, final KStream<String, String> start,
                                               final JsonNode ops, final int[] splits) {
        KStream<String, String> s = start;
        for (final JsonNode op : ops) {
            switch (op.get("op").asText()) {
                case "mapValues": {
                    final String tag = op.get("tag").asText();
                    s = s.mapValues(v -> v == null ? null : v + tag);
                    break;
                }
                case "map": {
                    final String tag = op.get("tag").asText();
                    s = s.map((k, v) -> KeyValue.pair(k == null ? null : k + tag, v == null ? null : v + tag));
                    break;
                }
                case "selectKey": {
                    final int mod = op.get("mod").asInt();
                    s = s.selectKey((k, v) -> v == null ? null : "k" + bucket(v, mod));
                    break;
                }
                case "filter": {
                    final int mod = op.get("mod").asInt();
                    final int rem = op.get("rem").asInt();
                    if (op.path("not").asBoolean(false)) s = s.filterNot((k, v) -> bucket(v, mod) == rem);
                    else s = s.filter((k, v) -> bucket(v, mod) != rem);
                    break;
                }
                case "flatMap": {
                    final int count = op.get("count").asInt();
                    s = s.flatMap((k, v) -> {
                        final List<KeyValue<String, String>> out = new ArrayList<>();
                        for (int i = 0; i < count; i++) out.add(KeyValue.pair(k, v == null ? null : v + "#" + i));
                        return out;
                    });
                    break;
                }
                case "flatMapValues": {
                    final int count = op.get("count").asInt();
                    s = s.flatMapValues(v -> {
                        final List<String> out = new ArrayList<>();
                        for (int i = 0; i < count; i++) out.add(v == null ? null : v + "~" + i);
                        return out;
                    });
                    break;
                }
                case "repartition":
                    s = s.repartition();
                    break;
                case "merge":
                    s = s.merge(ops(builder, builder.stream("right"), op.path("ops"), splits));
                    break;
                case "split": {
                    final BranchedKStream<String, String> split = s.split(
                        org.apache.kafka.streams.kstream.Named.as("split" + splits[0]++ + "-"));
                    int i = 1;
                    for (final JsonNode branch : op.get("branches")) {
                        final int mod = branch.get("mod").asInt();
                        final int rem = branch.get("rem").asInt();
                        final String tag = "/b" + i++;
                        split.branch((k, v) -> bucket(v, mod) == rem,
                            Branched.withFunction(b -> b.mapValues(v -> v == null ? null : v + tag)));
                    }
                    final Map<String, KStream<String, String>> branches =
                        split.defaultBranch(Branched.withFunction(b -> b.mapValues(v -> v == null ? null : v + "/b0")));
                    KStream<String, String> merged = null;
                    for (final KStream<String, String> b : branches.values()) merged = merged == null ? b : merged.merge(b);
                    s = merged;
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown op " + op);
            }
        }
        return s;
    }

    private static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
