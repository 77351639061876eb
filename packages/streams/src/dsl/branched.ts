import { branchProcessor, passThroughProcessor } from '../processor/stateless';
import type { KStream } from './kstream';

/** Kafka Streams' Branched: a branch's name and what to do with its stream. */
export interface Branched<K, V> {
  readonly name?: string;
  /** The returned stream (if any) is put in the result map instead of the branch itself. */
  readonly chain?: (branch: KStream<K, V>) => KStream<K, V> | void;
  /** The branch is handed over and left out of the result map. */
  readonly consume?: (branch: KStream<K, V>) => void;
}

export const Branched = {
  as<K, V>(name: string): Branched<K, V> {
    return { name };
  },
  withFunction<K, V>(chain: (branch: KStream<K, V>) => KStream<K, V> | void, name?: string): Branched<K, V> {
    return name === undefined ? { chain } : { chain, name };
  },
  withConsumer<K, V>(consume: (branch: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return name === undefined ? { consume } : { consume, name };
  },
} as const;

/**
 * What `KStream#split()` returns. Each record goes to the first branch whose predicate
 * matches. The result map is keyed `<splitName><branchName>`, or `<splitName><n>` for
 * unnamed branches (n from 1; "0" for the default branch), as in Kafka Streams.
 */
export class BranchedKStream<K, V> {
  private readonly branches: Array<{ predicate: (key: K, value: V) => boolean; child: string }> = [];
  private defaultChild: string | undefined;
  private readonly result = new Map<string, KStream<K, V>>();
  private done = false;

  constructor(
    private readonly parent: KStream<K, V>,
    readonly splitName: string,
  ) {
    const branches = this.branches;
    parent.builder.addProcessor(
      splitName,
      branchProcessor(branches, () => this.defaultChild),
      [parent.nodeName],
    );
  }

  branch(predicate: (key: K, value: V) => boolean, branched: Branched<K, V> = {}): this {
    this.requireOpen();
    const child = this.addChild(branched, String(this.branches.length + 1));
    this.branches.push({ predicate, child });
    return this;
  }

  defaultBranch(branched: Branched<K, V> = {}): Map<string, KStream<K, V>> {
    this.requireOpen();
    this.defaultChild = this.addChild(branched, '0');
    this.done = true;
    return this.result;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    this.requireOpen();
    this.done = true;
    return this.result;
  }

  private addChild(branched: Branched<K, V>, index: string): string {
    const name = `${this.splitName}${branched.name ?? index}`;
    this.parent.builder.addProcessor(name, passThroughProcessor<K, V>(), [this.splitName]);
    const stream = this.parent.derive<K, V>(
      name,
      this.parent.keySerde,
      this.parent.valueSerde,
      this.parent.keyChanged,
    );
    if (branched.consume) {
      branched.consume(stream);
    } else if (branched.chain) {
      const chained = branched.chain(stream);
      if (chained) this.result.set(name, chained);
    } else {
      this.result.set(name, stream);
    }
    return name;
  }

  private requireOpen(): void {
    if (this.done)
      throw new Error(
        `split ${this.splitName}: no branch can be added after defaultBranch()/noDefaultBranch()`,
      );
  }
}
