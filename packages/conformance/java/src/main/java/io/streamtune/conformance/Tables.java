package io.streamtune.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * The aggregations and table pipelines of the scenarios (packages/conformance/src/scenario.ts:
 * AggregateSpec, TableSpec), built as ts-tables.ts builds them for streamtune. Table values
 * are compared as String.valueOf(value), so one vocabulary of table operations serves counts
 * and strings.
 */
final class Tables {
    private Tables() {}

    interface StreamOps {
        KStream<String, String> apply(KStream<String, String> start, JsonNode ops);
    }

    static String text(final Object v) {
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static <K> KTable<K, Object> tableOps(final KTable<K, ?> start, final JsonNode ops) {
        KTable<K, Object> t = (KTable<K, Object>) start;
        for (final JsonNode op : ops) {
            switch (op.get("op").asText()) {
                case "mapValues": {
                    final String tag = op.get("tag").asText();
                    t = t.mapValues(v -> v == null ? null : text(v) + tag);
                    break;
                }
                case "filter": {
                    final int mod = op.get("mod").asInt();
                    final int rem = op.get("rem").asInt();
                    if (op.path("not").asBoolean(false)) t = t.filterNot((k, v) -> Runner.bucket(text(v), mod) == rem);
                    else t = t.filter((k, v) -> Runner.bucket(text(v), mod) != rem);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown table op " + op);
            }
        }
        return t;
    }

    private static <R> R pick(final String fn, final java.util.function.Supplier<R> count,
                              final java.util.function.Supplier<R> reduce, final java.util.function.Supplier<R> aggregate) {
        switch (fn) {
            case "count": return count.get();
            case "reduce": return reduce.get();
            case "aggregate": return aggregate.get();
            default: throw new IllegalArgumentException("aggregation " + fn);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static KStream<String, String> aggregate(final KStream<String, String> start, final JsonNode spec) {
        final JsonNode group = spec.get("group");
        final KGroupedStream<String, String> grouped;
        // explicit key serdes: a windowed table takes its Windowed key serde from them, which
        // suppress needs (the default StringSerde cannot write a Windowed key)
        final Grouped<String, String> serdes = Grouped.with(Serdes.String(), Serdes.String());
        if ("key".equals(group.get("by").asText())) {
            grouped = start.groupByKey(serdes);
        } else {
            final int mod = group.get("mod").asInt();
            grouped = start.groupBy((k, v) -> "g" + Runner.bucket(v, mod), serdes);
        }
        final String fn = spec.get("fn").asText();
        final JsonNode w = spec.get("windows");
        KTable table;
        if (w == null || w.isNull()) {
            table = pick(fn, grouped::count, () -> grouped.reduce((a, v) -> a + "|" + v),
                () -> grouped.aggregate(() -> "", (k, v, a) -> a + "," + v));
        } else {
            final Duration grace = Duration.ofMillis(w.get("graceMs").asLong());
            switch (w.get("type").asText()) {
                case "tumbling":
                case "hopping": {
                    TimeWindows windows = TimeWindows.ofSizeAndGrace(Duration.ofMillis(w.get("sizeMs").asLong()), grace);
                    if (w.has("advanceMs")) windows = windows.advanceBy(Duration.ofMillis(w.get("advanceMs").asLong()));
                    final var g = grouped.windowedBy(windows);
                    table = pick(fn, g::count, () -> g.reduce((a, v) -> a + "|" + v),
                        () -> g.aggregate(() -> "", (k, v, a) -> a + "," + v));
                    break;
                }
                case "sliding": {
                    final var g = grouped.windowedBy(
                        SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(w.get("differenceMs").asLong()), grace));
                    table = pick(fn, g::count, () -> g.reduce((a, v) -> a + "|" + v),
                        () -> g.aggregate(() -> "", (k, v, a) -> a + "," + v));
                    break;
                }
                case "session": {
                    final var g = grouped.windowedBy(
                        SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(w.get("gapMs").asLong()), grace));
                    table = pick(fn, g::count, () -> g.reduce((a, v) -> a + "|" + v),
                        () -> g.aggregate(() -> "", (k, v, a) -> a + "," + v, (k, a, b) -> a + "&" + b));
                    break;
                }
                default:
                    throw new IllegalArgumentException("windows " + w);
            }
        }
        if (spec.path("suppress").asBoolean(false)) {
            table = table.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
        }
        final KStream<Object, Object> stream = tableOps(table, spec.path("tableOps")).toStream();
        final KStream<String, Object> keyed = w == null || w.isNull()
            ? (KStream) stream
            : stream.selectKey((k, v) -> {
                final Windowed<String> wk = (Windowed<String>) k;
                return wk.key() + "@" + wk.window().start() + "/" + wk.window().end();
            });
        return keyed.mapValues(Tables::text);
    }

    /** KTable#groupBy and its aggregation with a subtractor (scenario.ts: TableGroupBySpec). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KStream<String, String> regrouped(final KTable<String, Object> table, final JsonNode spec) {
        final int mod = spec.get("mod").asInt();
        final KGroupedTable<String, String> grouped = table.groupBy(
            (k, v) -> KeyValue.pair("g" + Runner.bucket(text(v), mod), text(v)),
            Grouped.with(Serdes.String(), Serdes.String()));
        final KTable aggregated = pick(spec.get("fn").asText(), grouped::count,
            () -> grouped.reduce((a, v) -> a + "+" + v, (a, v) -> a + "-" + v),
            () -> grouped.aggregate(() -> "", (k, v, a) -> a + "+" + v, (k, v, a) -> a + "-" + v));
        return tableOps(aggregated, spec.path("ops")).toStream().mapValues(Tables::text);
    }

    private static KTable<String, String> source(final StreamsBuilder builder, final String topic, final String how) {
        return "table".equals(how) ? builder.table(topic) : builder.<String, String>stream(topic).toTable();
    }

    static KStream<String, String> tables(final StreamsBuilder builder, final JsonNode spec, final JsonNode rightOps,
                                          final StreamOps ops) {
        final String how = spec.get("source").asText();
        final KTable<String, Object> left = tableOps(source(builder, "left", how), spec.path("ops"));
        final JsonNode join = spec.get("join");
        final JsonNode groupBy = spec.get("groupBy");
        if ((join == null || join.isNull()) && groupBy != null && !groupBy.isNull()) return regrouped(left, groupBy);
        if (join == null || join.isNull()) return left.toStream().mapValues(Tables::text);
        final String type = join.get("type").asText();
        if ("stream".equals(join.get("kind").asText())) {
            final KStream<String, String> stream = ops.apply(builder.stream("right"), rightOps);
            final ValueJoiner<String, Object, String> joiner = (s, t) -> s + "+" + text(t);
            return "inner".equals(type) ? stream.join(left, joiner) : stream.leftJoin(left, joiner);
        }
        final KTable<String, Object> right = tableOps(source(builder, "right", how), join.path("rightOps"));
        final ValueJoiner<Object, Object, String> joiner = (l, r) -> text(l) + "+" + text(r);
        final KTable<String, String> joined;
        switch (type) {
            case "inner": joined = left.join(right, joiner); break;
            case "left": joined = left.leftJoin(right, joiner); break;
            case "outer": joined = left.outerJoin(right, joiner); break;
            default: throw new IllegalArgumentException("table join " + type);
        }
        return joined.toStream();
    }
}
