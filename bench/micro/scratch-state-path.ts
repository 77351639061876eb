import { randomBytes } from 'node:crypto';
import { JoinWindows, Serdes, Stores, StreamsBuilder, createTaskState, type WindowStore, type ProcessorContext } from '@streamtune/streams';
import { TopologyTestDriver } from '@streamtune/streams/testing';

const N = Number(process.argv[3] ?? 20000);
const mode = process.argv[2] ?? 'join';
const KEYS = 10_000;
const value = randomBytes(1024);
const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.buffer() };
const builder = new StreamsBuilder();
const a = builder.stream('a', serdes);
let outputs = 0;
if (mode === 'join') {
  const b = builder.stream('b', serdes);
  a.leftJoin(b, (l: Buffer) => l, JoinWindows.ofTimeDifferenceWithNoGrace(10_000), {
    name: 'j', storeName: 'j', keySerde: Serdes.string(), valueSerde: Serdes.buffer(), otherValueSerde: Serdes.buffer(),
  }).peek(() => outputs++);
} else {
  builder.addStore(Stores.windowStoreBuilder({ name: 'w', retentionMs: 3000, windowSizeMs: 1000, retainDuplicates: false, keySerde: Serdes.string(), valueSerde: Serdes.buffer() }));
  a.process<string, Buffer>(() => {
    let c!: ProcessorContext<string, Buffer>; let s!: WindowStore<string, Buffer>;
    return { init(x) { c = x; s = x.getStateStore('w'); }, async process(r) { await s.fetch(r.key, r.timestamp - 1000, r.timestamp); await s.put(r.key, r.value, r.timestamp); await c.forward(r); } };
  }, { stores: ['w'] }).peek(() => outputs++);
}
const driver = new TopologyTestDriver(builder.build(), {}, { taskStateFactory: (o) => createTaskState(o, { log: () => {} }) });
const ta = driver.createInputTopic<string, Buffer>('a', serdes);
const tb = mode === 'join' ? driver.createInputTopic<string, Buffer>('b', serdes) : null;
const t0 = performance.now();
for (let j = 0; j < N; j++) {
  await ta.pipeInput(`key-${j % KEYS}`, value, 1_000_000 + j);
  if (tb) await tb.pipeInput(`key-${j % KEYS}`, value, 1_000_000 + j);
}
const s = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ mode, N, inputs: tb ? 2 * N : N, outputs, seconds: s, perSec: (tb ? 2 * N : N) / s }));
await driver.close();
