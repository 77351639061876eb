import type { Serde } from '../../serdes/serde';

/**
 * The shared outer store of left/outer joins holds records that found no partner yet,
 * keyed `[timestamp][side][key]` (Kafka Streams' TimestampedKeyAndJoinSide) so that a
 * scan in key order is a scan in time order. Records with equal key, side and timestamp
 * share one entry: its value is the list of them (Kafka Streams' ListValueStore).
 */
export interface OuterJoinKey<K> {
  readonly timestamp: number;
  readonly leftSide: boolean;
  /** undefined only in range bounds: sorts before every key of that timestamp and side. */
  readonly key: K | undefined;
}

export type LeftOrRightValue<VL, VR> =
  { readonly side: 'left'; readonly value: VL } | { readonly side: 'right'; readonly value: VR };

const TWO_32 = 2 ** 32;
const OFFSET = 2 ** 52;
const NO_HEADERS = {};

function nonNull(bytes: Buffer | null, what: string): Buffer {
  if (bytes === null) throw new TypeError(`outer join store: ${what} serialized to null`);
  return bytes;
}

export function outerJoinKeySerde<K>(keySerde: Serde<K>): Serde<OuterJoinKey<K>> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key =
        data.key === undefined
          ? Buffer.alloc(0)
          : nonNull(keySerde.serialize(topic, data.key, NO_HEADERS), 'key');
      const out = Buffer.allocUnsafe(9 + key.length);
      const shifted = data.timestamp + OFFSET;
      out.writeUInt32BE(Math.floor(shifted / TWO_32), 0);
      out.writeUInt32BE(shifted % TWO_32, 4);
      out.writeUInt8(data.leftSide ? 1 : 0, 8);
      key.copy(out, 9);
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null || bytes.length < 9) throw new TypeError('outer join store: key too short');
      return {
        timestamp: bytes.readUInt32BE(0) * TWO_32 + bytes.readUInt32BE(4) - OFFSET,
        leftSide: bytes.readUInt8(8) === 1,
        key: keySerde.deserialize(topic, bytes.subarray(9), NO_HEADERS),
      };
    },
  };
}

export function leftOrRightListSerde<VL, VR>(
  leftSerde: Serde<VL>,
  rightSerde: Serde<VR>,
): Serde<Array<LeftOrRightValue<VL, VR>>> {
  return {
    serialize(topic, list) {
      if (list === null) return null;
      const parts: Buffer[] = [];
      const count = Buffer.allocUnsafe(4);
      count.writeUInt32BE(list.length, 0);
      parts.push(count);
      for (const item of list) {
        const bytes =
          item.side === 'left'
            ? nonNull(leftSerde.serialize(topic, item.value, NO_HEADERS), 'left value')
            : nonNull(rightSerde.serialize(topic, item.value, NO_HEADERS), 'right value');
        const head = Buffer.allocUnsafe(5);
        head.writeUInt8(item.side === 'left' ? 1 : 0, 0);
        head.writeUInt32BE(bytes.length, 1);
        parts.push(head, bytes);
      }
      return Buffer.concat(parts);
    },
    deserialize(topic, bytes) {
      if (bytes === null) throw new TypeError('outer join store: null value');
      const out: Array<LeftOrRightValue<VL, VR>> = [];
      const count = bytes.readUInt32BE(0);
      let at = 4;
      for (let i = 0; i < count; i++) {
        const left = bytes.readUInt8(at) === 1;
        const length = bytes.readUInt32BE(at + 1);
        const body = bytes.subarray(at + 5, at + 5 + length);
        at += 5 + length;
        out.push(
          left
            ? { side: 'left', value: leftSerde.deserialize(topic, body, NO_HEADERS) }
            : { side: 'right', value: rightSerde.deserialize(topic, body, NO_HEADERS) },
        );
      }
      return out;
    },
  };
}
