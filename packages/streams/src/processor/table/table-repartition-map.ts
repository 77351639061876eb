import { Serdes, type Serde } from '../../serdes/serde';
import type { KeyValue, StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { isPresent, type Change } from './change';

const NO_HEADERS = {};

/**
 * How a Change travels through a KGroupedTable's repartition topic (Kafka Streams'
 * ChangedSerializer): a flag byte (1: new value present, 2: old value present), the new
 * value's length (4 bytes) and bytes, then the old value's bytes. The value serde is the
 * grouping's, or the application's default, known only at task start, so processors
 * encode and decode and the topic carries raw bytes.
 */
export interface ChangeCodec<V> {
  encode(change: Change<V>): Buffer;
  decode(bytes: Buffer): Change<V>;
}

export function changeCodec<V>(serde: Serde<V>): ChangeCodec<V> {
  const bytesOf = (v: V | null): Buffer | null => (isPresent(v) ? serde.serialize('', v, NO_HEADERS) : null);
  return {
    encode(change) {
      const n = bytesOf(change.newValue);
      const o = bytesOf(change.oldValue);
      const head = Buffer.alloc(5);
      head.writeUInt8((n ? 1 : 0) | (o ? 2 : 0), 0);
      head.writeUInt32BE(n?.length ?? 0, 1);
      return Buffer.concat([head, n ?? Buffer.alloc(0), o ?? Buffer.alloc(0)]);
    },
    decode(bytes) {
      const flags = bytes.readUInt8(0);
      const length = bytes.readUInt32BE(1);
      const value = (present: boolean, b: Buffer): V | null =>
        present ? serde.deserialize('', b, NO_HEADERS) : null;
      return {
        newValue: value((flags & 1) !== 0, bytes.subarray(5, 5 + length)),
        oldValue: value((flags & 2) !== 0, bytes.subarray(5 + length)),
      };
    },
  };
}

/** The grouping's serde, else the application's default value serde (strings unless set). */
export function resolveCodec<V>(
  context: ProcessorContext<unknown, unknown>,
  serde: Serde<V> | undefined,
): ChangeCodec<V> {
  return changeCodec((serde ?? context.appConfigs().defaultValueSerde ?? Serdes.string()) as Serde<V>);
}

/**
 * Kafka Streams' KTableRepartitionMap (KTable#groupBy): maps a table update's old and new
 * values to (new key, new value) pairs. When both land on the same key they travel as one
 * Change, so the aggregation subtracts and adds in one step (KIP-904); otherwise the old
 * pair goes first, as a removal from its group, then the new pair as an addition. A pair
 * with a null key or value is skipped.
 */
export function tableRepartitionMapProcessor<K, V, KR, VR>(
  selector: (key: K, value: V) => KeyValue<KR, VR>,
  valueSerde: Serde<VR> | undefined,
): ProcessorSupplier<K, Change<V>, KR, Buffer> {
  return (): Processor<K, Change<V>, KR, Buffer> => {
    let context!: ProcessorContext<KR, Buffer>;
    let codec!: ChangeCodec<VR>;
    const pair = (key: K, value: V | null): KeyValue<KR, VR> | null => {
      if (!isPresent(value)) return null;
      const p = selector(key, value);
      return isPresent(p) && isPresent(p.key) && isPresent(p.value) ? p : null;
    };
    const send = (record: StreamRecord<K, Change<V>>, key: KR, change: Change<VR>) =>
      context.forward({ ...record, key, value: codec.encode(change) });
    return {
      init(ctx) {
        context = ctx;
        codec = resolveCodec(ctx as ProcessorContext<unknown, unknown>, valueSerde);
      },
      async process(record) {
        const newPair = pair(record.key, record.value.newValue);
        const oldPair = pair(record.key, record.value.oldValue);
        if (newPair && oldPair && sameKey(newPair.key, oldPair.key)) {
          await send(record, newPair.key, { newValue: newPair.value, oldValue: oldPair.value });
          return;
        }
        if (oldPair) await send(record, oldPair.key, { newValue: null, oldValue: oldPair.value });
        if (newPair) await send(record, newPair.key, { newValue: newPair.value, oldValue: null });
      },
    };
  };
}

/** Kafka Streams compares the selected keys with equals(); objects compare by their JSON here. */
function sameKey<KR>(a: KR, b: KR): boolean {
  if (a === b) return true;
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}
