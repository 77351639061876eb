import type { SinkNode, SourceNode, TopicRef, TopologyNode } from './nodes';
import { isTopicRef } from './nodes';

/**
 * A connected part of the topology: the unit of tasks (one task per partition number).
 * Nodes connect through parent edges and shared stores; a topic (sink -> source) does
 * not connect, which is why a repartition topic starts a new sub-topology.
 */
export interface Subtopology {
  readonly id: number;
  /** In the order they were added to the topology. */
  readonly nodes: readonly TopologyNode[];
  readonly sources: readonly SourceNode[];
  readonly sinks: readonly SinkNode[];
  readonly sourceTopics: readonly TopicRef[];
  readonly storeNames: readonly string[];
}

export function groupSubtopologies(nodes: readonly TopologyNode[]): Subtopology[] {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // the smaller root wins, so a component's root is its earliest node: ids follow creation order
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const storeOwner = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (node.kind !== 'source') {
      for (const p of node.parents) {
        const pi = index.get(p);
        if (pi === undefined) throw new Error(`topology: node ${node.name} names unknown parent ${p}`);
        union(i, pi);
      }
    }
    if (node.kind === 'processor') {
      for (const store of node.stores) {
        const owner = storeOwner.get(store);
        if (owner === undefined) storeOwner.set(store, i);
        else union(i, owner);
      }
    }
  });
  const groups = new Map<number, TopologyNode[]>();
  nodes.forEach((node, i) => {
    const root = find(i);
    const list = groups.get(root) ?? [];
    list.push(node);
    groups.set(root, list);
  });
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((root, id) => {
      const members = groups.get(root)!;
      const sources = members.filter((n): n is SourceNode => n.kind === 'source');
      const sinks = members.filter((n): n is SinkNode => n.kind === 'sink');
      const stores = new Set<string>();
      for (const n of members) if (n.kind === 'processor') n.stores.forEach((s) => stores.add(s));
      return {
        id,
        nodes: members,
        sources,
        sinks,
        sourceTopics: sources.flatMap((s) => s.topics),
        storeNames: [...stores],
      };
    });
}

/** Topics a sub-topology writes whose name is known up front (extractor sinks are not). */
export function sinkTopics(sub: Subtopology): TopicRef[] {
  return sub.sinks.flatMap((s) => (isTopicRef(s.topic) ? [s.topic] : []));
}
