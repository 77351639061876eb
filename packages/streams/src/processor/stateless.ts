import type { KeyValue, StreamRecord } from '../types/index';
import type { ProcessorContext, ProcessorSupplier } from './api';

/**
 * The processors behind the DSL's stateless operations. Each is a supplier, so every task
 * gets its own instance. Records keep their timestamp and headers unless the operation
 * says otherwise, as in Kafka Streams.
 */
function stateless<KIn, VIn, KOut, VOut>(
  handle: (record: StreamRecord<KIn, VIn>, context: ProcessorContext<KOut, VOut>) => void | Promise<void>,
): ProcessorSupplier<KIn, VIn, KOut, VOut> {
  return () => {
    let context: ProcessorContext<KOut, VOut> | undefined;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        return handle(record, context!);
      },
    };
  };
}

export function mapProcessor<K, V, KR, VR>(
  mapper: (key: K, value: V) => KeyValue<KR, VR>,
): ProcessorSupplier<K, V, KR, VR> {
  return stateless((r, ctx) => {
    const out = mapper(r.key, r.value);
    return ctx.forward({ key: out.key, value: out.value, timestamp: r.timestamp, headers: r.headers });
  });
}

export function mapValuesProcessor<K, V, VR>(
  mapper: (value: V, key: K) => VR,
): ProcessorSupplier<K, V, K, VR> {
  return stateless((r, ctx) =>
    ctx.forward({ key: r.key, value: mapper(r.value, r.key), timestamp: r.timestamp, headers: r.headers }),
  );
}

export function filterProcessor<K, V>(
  predicate: (key: K, value: V) => boolean,
  negate: boolean,
): ProcessorSupplier<K, V, K, V> {
  return stateless(async (r, ctx) => {
    if (predicate(r.key, r.value) !== negate) await ctx.forward(r);
  });
}

export function flatMapProcessor<K, V, KR, VR>(
  mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>,
): ProcessorSupplier<K, V, KR, VR> {
  return stateless(async (r, ctx) => {
    for (const out of mapper(r.key, r.value)) {
      await ctx.forward({ key: out.key, value: out.value, timestamp: r.timestamp, headers: r.headers });
    }
  });
}

export function flatMapValuesProcessor<K, V, VR>(
  mapper: (value: V, key: K) => Iterable<VR>,
): ProcessorSupplier<K, V, K, VR> {
  return stateless(async (r, ctx) => {
    for (const value of mapper(r.value, r.key)) {
      await ctx.forward({ key: r.key, value, timestamp: r.timestamp, headers: r.headers });
    }
  });
}

export function selectKeyProcessor<K, V, KR>(
  mapper: (key: K, value: V) => KR,
): ProcessorSupplier<K, V, KR, V> {
  return stateless((r, ctx) =>
    ctx.forward({ key: mapper(r.key, r.value), value: r.value, timestamp: r.timestamp, headers: r.headers }),
  );
}

export function peekProcessor<K, V>(action: (key: K, value: V) => void): ProcessorSupplier<K, V, K, V> {
  return stateless((r, ctx) => {
    action(r.key, r.value);
    return ctx.forward(r);
  });
}

/** Forwards everything: merge nodes and branch children. */
export function passThroughProcessor<K, V>(): ProcessorSupplier<K, V, K, V> {
  return stateless((r, ctx) => ctx.forward(r));
}

/**
 * Sends each record to the child of the first predicate that matches (Kafka Streams'
 * split()): `branches` is read when records flow, so branches added after the node was
 * created are seen. A record no predicate matches goes to `defaultChild()` if there is one.
 */
export function branchProcessor<K, V>(
  branches: ReadonlyArray<{ predicate: (key: K, value: V) => boolean; child: string }>,
  defaultChild: () => string | undefined,
): ProcessorSupplier<K, V, K, V> {
  return stateless(async (r, ctx) => {
    for (const branch of branches) {
      if (branch.predicate(r.key, r.value)) return ctx.forward(r, branch.child);
    }
    const fallback = defaultChild();
    if (fallback !== undefined) await ctx.forward(r, fallback);
  });
}
