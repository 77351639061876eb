import { describe, expect, it } from 'vitest';
import { StreamsBuilder, Topology } from '../src/index';

describe('Topology#describe()', () => {
  it('prints Kafka Streams text format with generated names', () => {
    const b = new StreamsBuilder();
    b.stream('input')
      .filter(() => true)
      .mapValues((v) => v)
      .to('output');
    expect(b.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])',
        '      --> KSTREAM-FILTER-0000000001',
        '    Processor: KSTREAM-FILTER-0000000001 (stores: [])',
        '      --> KSTREAM-MAPVALUES-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])',
        '      --> KSTREAM-SINK-0000000003',
        '      <-- KSTREAM-FILTER-0000000001',
        '    Sink: KSTREAM-SINK-0000000003 (topic: output)',
        '      <-- KSTREAM-MAPVALUES-0000000002',
        '',
        '',
      ].join('\n'),
    );
  });

  it('a repartition topic splits sub-topologies; internal topic names carry no application id', () => {
    const b = new StreamsBuilder();
    b.stream('in')
      .selectKey((_, v) => v)
      .repartition()
      .to('out');
    const text = b.build().describe().toString();
    expect(text).toContain('   Sub-topology: 0\n    Source: KSTREAM-SOURCE-0000000000 (topics: [in])');
    expect(text).toContain(
      '    Processor: KSTREAM-FILTER-0000000004 (stores: [])\n      --> KSTREAM-SINK-0000000003\n      <-- KSTREAM-KEY-SELECT-0000000001\n    Sink: KSTREAM-SINK-0000000003 (topic: KSTREAM-REPARTITION-0000000002-repartition)\n      <-- KSTREAM-FILTER-0000000004',
    );
    expect(text).toContain(
      '   Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000005 (topics: [KSTREAM-REPARTITION-0000000002-repartition])\n      --> KSTREAM-SINK-0000000006',
    );
  });

  it('merged sources form one sub-topology; independent streams form two', () => {
    const b = new StreamsBuilder();
    b.stream('a').merge(b.stream('b')).to('ab');
    b.stream('c').to('c-out');
    const subs = b.build().subtopologies();
    expect(subs.map((s) => s.sourceTopics.map((t) => t.name))).toEqual([['a', 'b'], ['c']]);
  });

  it('the processor API checks its graph', () => {
    const t = new Topology().addSource('src', 'in');
    expect(() => t.addProcessor('p', () => ({ process() {} }), 'missing')).toThrow(
      /parent missing does not exist/,
    );
    expect(() => t.addSource('src2', 'in')).toThrow(/already read by source src/);
    t.addSink('sink', (k: unknown) => `t-${k}`, {}, 'src');
    expect(t.describe().toString()).toContain('Sink: sink (extractor class: anonymous)');
  });
});
