import type { TopologyNode } from './nodes';
import { isTopicRef } from './nodes';
import type { Subtopology } from './subtopologies';

export interface NodeDescription {
  readonly name: string;
  readonly kind: TopologyNode['kind'];
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
  /** Sources: their topics; sinks: their topic (empty with an extractor). */
  readonly topics: readonly string[];
  readonly stores: readonly string[];
}

export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
}

/** What `Topology#describe()` returns; `toString()` prints Kafka Streams' text format. */
export class TopologyDescription {
  constructor(
    readonly subtopologies: readonly SubtopologyDescription[],
    private readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

export function describeTopology(
  subs: readonly Subtopology[],
  all: readonly TopologyNode[],
): TopologyDescription {
  const children = new Map<string, string[]>();
  for (const node of all) {
    if (node.kind === 'source') continue;
    for (const p of node.parents) children.set(p, [...(children.get(p) ?? []), node.name]);
  }
  const byName = new Map(all.map((n) => [n.name, n]));
  // Kafka Streams orders nodes by the size of their sub-tree (largest first), then by name.
  const subtreeSize = (name: string): number => {
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(children.get(n) ?? []));
    }
    return seen.size;
  };
  let text = 'Topologies:\n';
  const descriptions = subs.map((sub) => {
    const nodes = [...sub.nodes]
      .map((n) => ({ n, size: subtreeSize(n.name) }))
      .sort((a, b) => b.size - a.size || a.n.name.localeCompare(b.n.name))
      .map(({ n }) => describeNode(n, children.get(n.name) ?? []));
    text += `   Sub-topology: ${sub.id}\n`;
    for (const node of nodes) text += `    ${nodeText(node, byName.get(node.name)!)}\n`;
    text += '\n';
    return { id: sub.id, nodes };
  });
  return new TopologyDescription(descriptions, text);
}

function describeNode(node: TopologyNode, successors: string[]): NodeDescription {
  return {
    name: node.name,
    kind: node.kind,
    predecessors: node.kind === 'source' ? [] : [...node.parents].sort(),
    successors: [...successors].sort(),
    topics:
      node.kind === 'source'
        ? node.topics.map((t) => t.name)
        : node.kind === 'sink' && isTopicRef(node.topic)
          ? [node.topic.name]
          : [],
    stores: node.kind === 'processor' ? [...node.stores] : [],
  };
}

function names(list: readonly string[]): string {
  return list.length ? list.join(', ') : 'none';
}

function nodeText(d: NodeDescription, node: TopologyNode): string {
  const down = `\n      --> ${names(d.successors)}`;
  const up = `\n      <-- ${names(d.predecessors)}`;
  switch (node.kind) {
    case 'source':
      return `Source: ${d.name} (topics: [${d.topics.join(', ')}])${down}`;
    case 'processor':
      return `Processor: ${d.name} (stores: [${d.stores.join(', ')}])${down}${up}`;
    case 'sink':
      return isTopicRef(node.topic)
        ? `Sink: ${d.name} (topic: ${node.topic.name})${up}`
        : `Sink: ${d.name} (extractor class: ${node.topic.name || 'anonymous'})${up}`;
  }
}
