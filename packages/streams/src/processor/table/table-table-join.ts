import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { recordDropped } from '../aggregate/dropped';
import { isPresent, type Change, type SendOldValues } from './change';
import type { KTableValueGetter, KTableValueGetterSupplier } from './value-getter';

export type TableJoinType = 'inner' | 'left' | 'outer';

/**
 * One side of a KTable-KTable join (Kafka Streams' KTableKTableInnerJoin, -LeftJoin,
 * -OuterJoin and, for the other side, -RightJoin): an update of this side is joined with
 * the other side's current value; the result's timestamp is the larger of both. `side`
 * says which of the joiner's arguments this side is.
 */
export function tableTableJoinProcessor<K, VL, VR, VOut>(options: {
  type: TableJoinType;
  side: 'left' | 'right';
  other: KTableValueGetterSupplier<K, VL | VR>;
  joiner: (left: VL | null, right: VR | null) => VOut;
  flags: SendOldValues;
}): ProcessorSupplier<K, Change<VL | VR>, K, Change<VOut>> {
  const { type, side, joiner, flags } = options;
  // Kafka Streams' four processors: inner; left (the other side may be missing); right
  // (this side may be missing: the right side of a left join); outer (either may be)
  const mode = type === 'inner' ? 'inner' : type === 'outer' ? 'outer' : side === 'left' ? 'left' : 'right';
  const join = (mine: VL | VR | null, other: VL | VR | null): VOut =>
    side === 'left'
      ? joiner(mine as VL | null, other as VR | null)
      : joiner(other as VL | null, mine as VR | null);
  return (): Processor<K, Change<VL | VR>, K, Change<VOut>> => {
    let context!: ProcessorContext<K, Change<VOut>>;
    let getter!: KTableValueGetter<K, VL | VR>;
    return {
      init(ctx) {
        context = ctx;
        getter = options.other.get(ctx);
      },
      async process(record) {
        if (!isPresent(record.key)) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const found = await getter.get(record.key);
        const other = found ? found.value : null;
        const { newValue: newMine, oldValue: oldMine } = record.value;
        if (other === null) {
          if (mode === 'inner' || mode === 'right') return;
          if (newMine === null && oldMine === null) return;
        }
        const timestamp = found ? Math.max(record.timestamp, found.timestamp) : record.timestamp;
        // whether a result exists for this side's value: inner and left need this side's
        // value; right needs only the other's (checked above); outer needs either
        const result = (mine: VL | VR | null): VOut | null =>
          mode === 'right' || isPresent(mine) || (mode === 'outer' && other !== null)
            ? join(mine, other)
            : null;
        const newValue = result(newMine);
        const oldValue = flags.sendOldValues ? result(oldMine) : null;
        await context.forward({
          key: record.key,
          value: { newValue, oldValue },
          timestamp,
          headers: record.headers,
        });
      },
    };
  };
}

/** The getter of a join's result table: both sides' getters joined (KTableKTableAbstractJoinValueGetterSupplier). */
export function tableJoinValueGetter<K, VL, VR, VOut>(
  type: TableJoinType,
  left: KTableValueGetterSupplier<K, VL>,
  right: KTableValueGetterSupplier<K, VR>,
  joiner: (left: VL | null, right: VR | null) => VOut,
): KTableValueGetterSupplier<K, VOut> {
  return {
    storeNames: [...new Set([...left.storeNames, ...right.storeNames])],
    get(context) {
      const l = left.get(context);
      const r = right.get(context);
      return {
        async get(key) {
          const a = await l.get(key);
          if (!a && type !== 'outer') return null;
          const b = await r.get(key);
          if (!b && type === 'inner') return null;
          if (!a && !b) return null;
          return {
            value: joiner(a ? a.value : null, b ? b.value : null),
            timestamp: Math.max(a ? a.timestamp : -1, b ? b.timestamp : -1),
          };
        },
      };
    },
  };
}
