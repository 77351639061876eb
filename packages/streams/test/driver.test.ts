import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  Serdes,
  StreamsBuilder,
  StreamsEvents,
  type Processor,
  type ProcessorContext,
  type StateStore,
  type StoreBuilder,
  type TaskStateFactory,
} from '../src/index';
import { inProcessTaskState } from '../src/state-manager/in-process-task-state';
import { TopologyTestDriver } from '../src/testing/index';

describe('TopologyTestDriver', () => {
  it('logAndContinue sends a record that fails to deserialize to the dead-letter topic and keeps its neighbours', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, { n: number }>('in', { valueSerde: Serdes.json() })
      .mapValues((v) => String(v.n))
      .to('out');
    const events = new StreamsEvents();
    const dead: string[] = [];
    events.on('record.dead-lettered', (e) => dead.push(`${e.reason}@${e.offset}`));
    const driver = new TopologyTestDriver(
      builder.build(),
      { applicationId: 'app', deserializationExceptionHandler: 'logAndContinue' },
      { events },
    );
    const input = driver.createInputTopic('in', { valueSerde: Serdes.string() });
    await input.pipeInput('a', '{"n":1}', 1);
    await input.pipeInput('b', '{not json', 2, { trace: Buffer.from('t1') });
    await input.pipeInput('c', '{"n":3}', 3);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      { key: 'a', value: '1' },
      { key: 'c', value: '3' },
    ]);
    const [letter, ...rest] = driver
      .createOutputTopic('app-dead-letters', { valueSerde: Serdes.buffer() })
      .readRecordsToList();
    expect(rest).toEqual([]);
    expect(letter!.key).toBe('b');
    expect(letter!.value.toString()).toBe('{not json');
    expect(letter!.timestamp).toBe(2);
    expect(letter!.headers.trace!.toString()).toBe('t1');
    expect(letter!.headers[DEAD_LETTER_HEADERS.topic]!.toString()).toBe('in');
    expect(letter!.headers[DEAD_LETTER_HEADERS.offset]!.toString()).toBe('1');
    expect(letter!.headers[DEAD_LETTER_HEADERS.message]!.toString()).toMatch(/not valid JSON/);
    expect(dead).toEqual(['deserialization@1']);
    await driver.close();
  });

  it('a processing failure goes to the processing handler: dead letter, or a clear error with logAndFail', async () => {
    const build = () => {
      const b = new StreamsBuilder();
      b.stream('in')
        .mapValues((v) => {
          if (v === 'boom') throw new Error('cannot handle boom');
          return v;
        })
        .to('out');
      return b.build();
    };
    const lenient = new TopologyTestDriver(build(), {
      processingExceptionHandler: 'logAndContinue',
      deadLetterTopic: 'dlq',
    });
    const input = lenient.createInputTopic('in');
    await input.pipeInput('1', 'ok', 0);
    await input.pipeInput('2', 'boom', 0);
    await input.pipeInput('3', 'fine', 0);
    expect(lenient.createOutputTopic('out').readValuesToList()).toEqual(['ok', 'fine']);
    expect(lenient.createOutputTopic('dlq').readKeyValuesToList()).toEqual([{ key: '2', value: 'boom' }]);
    await lenient.close();

    const strict = new TopologyTestDriver(build());
    await expect(strict.createInputTopic('in').pipeInput('2', 'boom', 0)).rejects.toThrow(
      /processing of in-0@0 failed in task 0_0: cannot handle boom \(the processingExceptionHandler is logAndFail/,
    );
    await strict.close();
  });

  it('runs stream-time and wall-clock punctuations and opens stores through the TaskStateFactory', async () => {
    const log: string[] = [];
    class CountingStore implements StateStore {
      readonly persistent = false;
      count = 0;
      constructor(readonly name: string) {}
      async init() {
        log.push(`init ${this.name}`);
      }
      async flush() {}
      async close() {
        log.push(`close ${this.name}`);
      }
    }
    const storeBuilder: StoreBuilder<CountingStore> = {
      name: 'counts',
      loggingEnabled: false,
      changelogConfig: () => ({}),
      build: () => new CountingStore('counts'),
    };
    const counter = (): Processor<string, string, string, string> => {
      let ctx: ProcessorContext<string, string>;
      let store: CountingStore;
      return {
        init(c) {
          ctx = c;
          store = c.getStateStore<CountingStore>('counts');
          c.schedule(10, 'stream-time', (t) =>
            ctx.forward({ key: 'stream', value: `${t}:${store.count}`, timestamp: t, headers: {} }),
          );
          c.schedule(1000, 'wall-clock-time', (t) =>
            ctx.forward({ key: 'wall', value: String(t), timestamp: t, headers: {} }),
          );
        },
        process() {
          store.count++;
        },
      };
    };
    const builder = new StreamsBuilder();
    builder.addStore(storeBuilder);
    builder
      .stream('in')
      .process(counter, { stores: ['counts'] })
      .to('out');
    let opened = 0;
    const factory: TaskStateFactory = (o) => {
      opened++;
      return inProcessTaskState(o);
    };
    const driver = new TopologyTestDriver(builder.build(), {}, { taskStateFactory: factory });
    const input = driver.createInputTopic('in');
    for (const t of [0, 5, 12, 13, 40]) await input.pipeInput('k', 'v', t);
    await driver.advanceWallClockTime(999);
    await driver.advanceWallClockTime(1);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      { key: 'stream', value: '12:3' },
      { key: 'stream', value: '40:5' },
      { key: 'wall', value: '1000' },
    ]);
    expect((await driver.getStateStore<CountingStore>('counts'))!.count).toBe(5);
    await driver.close();
    expect(opened).toBe(1);
    expect(log).toEqual(['init counts', 'close counts']);
  });

  it('rejects a topic no source reads', async () => {
    const b = new StreamsBuilder();
    b.stream('in').to('out');
    const driver = new TopologyTestDriver(b.build());
    await expect(driver.createInputTopic('nope').pipeInput('k', 'v')).rejects.toThrow(
      /no source reads topic nope/,
    );
    await driver.close();
  });
});
