import { describe, expect, it } from 'vitest';
import { StreamsBuilder, Suppressed, TimeWindows } from '../src/index';

describe('Topology#describe() of aggregations and tables (Kafka Streams names)', () => {
  it('groupByKey().count().toStream(): store first, then the aggregate, as Kafka Streams numbers them', () => {
    const b = new StreamsBuilder();
    b.stream('input').groupByKey().count().toStream().to('output');
    expect(b.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])',
        '      --> KSTREAM-AGGREGATE-0000000002',
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])',
        '      --> KTABLE-TOSTREAM-0000000003',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-AGGREGATE-0000000002',
        '    Sink: KSTREAM-SINK-0000000004 (topic: output)',
        '      <-- KTABLE-TOSTREAM-0000000003',
        '',
        '',
      ].join('\n'),
    );
  });

  it('windowed count with suppress: the suppress node and its buffer store', () => {
    const b = new StreamsBuilder();
    b.stream('input')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(1000))
      .count()
      .suppress(Suppressed.untilWindowCloses())
      .toStream()
      .to('output');
    const text = b.build().describe().toString();
    expect(text).toContain(
      '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n      --> KTABLE-SUPPRESS-0000000003',
    );
    expect(text).toContain(
      '    Processor: KTABLE-SUPPRESS-0000000003 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000004])\n      --> KTABLE-TOSTREAM-0000000005',
    );
  });

  it('groupBy: key select, then <store>-repartition-filter/-sink and a new sub-topology from -source', () => {
    const b = new StreamsBuilder();
    b.stream('input')
      .groupBy((_k, v) => v)
      .reduce((a, v) => a + v)
      .toStream()
      .to('output');
    const text = b.build().describe().toString();
    expect(text).toContain(
      [
        '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
        '      --> KSTREAM-REDUCE-STATE-STORE-0000000002-repartition-filter',
      ].join('\n'),
    );
    expect(text).toContain(
      '    Sink: KSTREAM-REDUCE-STATE-STORE-0000000002-repartition-sink (topic: KSTREAM-REDUCE-STATE-STORE-0000000002-repartition)',
    );
    expect(text).toContain(
      [
        '   Sub-topology: 1',
        '    Source: KSTREAM-REDUCE-STATE-STORE-0000000002-repartition-source (topics: [KSTREAM-REDUCE-STATE-STORE-0000000002-repartition])',
        '      --> KSTREAM-REDUCE-0000000003',
      ].join('\n'),
    );
  });

  it('table-table join: merge named first, then the two join sides, each reading the other side’s store', () => {
    const b = new StreamsBuilder();
    const l = b.table('l');
    const r = b.table('r');
    l.join(r, (x, y) => x + y)
      .toStream()
      .to('out');
    const text = b.build().describe().toString();
    expect(text).toContain('    Processor: KTABLE-JOINTHIS-0000000007 (stores: [r-STATE-STORE-0000000003])');
    expect(text).toContain('    Processor: KTABLE-JOINOTHER-0000000008 (stores: [l-STATE-STORE-0000000000])');
    expect(text).toContain('    Processor: KTABLE-MERGE-0000000006 (stores: [])');
  });
});
