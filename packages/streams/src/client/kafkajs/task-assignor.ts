import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import type { TaskKeyOf } from '../ports';

/**
 * A partition assignor that keeps a task's partitions together (Kafka Streams'
 * StreamsPartitionAssignor, reduced to what this runtime needs): partitions with the same
 * task key (sub-topology and partition number) go to one member. Sticky: each member
 * reports the tasks it owns in its subscription's userData and keeps up to its fair share
 * of them, so a member joining or leaving moves as few tasks as possible.
 */
export function taskAssignor(taskKeyOf: TaskKeyOf, ownedTasks: () => readonly string[]): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'StreamtuneTaskAssignor',
    version: 0,
    async assign({ members, topics }) {
      const tasks = new Map<string, Array<{ topic: string; partition: number }>>();
      for (const topic of topics) {
        for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
          const key = taskKeyOf(topic, partitionId);
          tasks.set(key, [...(tasks.get(key) ?? []), { topic, partition: partitionId }]);
        }
      }
      const memberIds = members.map((m) => m.memberId).sort();
      const previous = new Map<string, string[]>();
      for (const m of members) {
        const { userData } = AssignerProtocol.MemberMetadata.decode(m.memberMetadata) ?? {
          userData: Buffer.alloc(0),
        };
        previous.set(m.memberId, userData.length ? (JSON.parse(userData.toString()) as string[]) : []);
      }
      const owner = assignTasks([...tasks.keys()], memberIds, previous);
      return memberIds.map((memberId) => {
        const assignment: Record<string, number[]> = {};
        for (const [task, m] of owner) {
          if (m !== memberId) continue;
          for (const { topic, partition } of tasks.get(task)!) (assignment[topic] ??= []).push(partition);
        }
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 0,
            assignment,
            userData: Buffer.alloc(0),
          }),
        };
      });
    },
    protocol({ topics }) {
      return {
        name: 'StreamtuneTaskAssignor',
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 0,
          topics,
          userData: Buffer.from(JSON.stringify(ownedTasks())),
        }),
      };
    },
  });
}

/** Balanced (counts differ by at most one) and sticky. Exported for unit tests. */
export function assignTasks(
  tasks: readonly string[],
  members: readonly string[],
  previous: ReadonlyMap<string, readonly string[]>,
): Map<string, string> {
  const sorted = [...tasks].sort(compareTaskKeys);
  const owner = new Map<string, string>();
  if (members.length === 0) return owner;
  const base = Math.floor(sorted.length / members.length);
  let extra = sorted.length % members.length;
  const quota = new Map<string, number>();
  // members that owned more get the "+1" slots first, which keeps more tasks in place
  const byPrevious = [...members].sort(
    (a, b) => (previous.get(b)?.length ?? 0) - (previous.get(a)?.length ?? 0) || a.localeCompare(b),
  );
  for (const m of byPrevious) quota.set(m, base + (extra-- > 0 ? 1 : 0));
  const count = new Map(members.map((m) => [m, 0]));
  const taskSet = new Set(sorted);
  for (const m of members) {
    for (const t of previous.get(m) ?? []) {
      if (!taskSet.has(t) || owner.has(t) || count.get(m)! >= quota.get(m)!) continue;
      owner.set(t, m);
      count.set(m, count.get(m)! + 1);
    }
  }
  let i = 0;
  for (const t of sorted) {
    if (owner.has(t)) continue;
    while (count.get(members[i % members.length]!)! >= quota.get(members[i % members.length]!)!) i++;
    const m = members[i % members.length]!;
    owner.set(t, m);
    count.set(m, count.get(m)! + 1);
  }
  return owner;
}

/** `0_10` after `0_9`: by sub-topology, then partition, numerically. */
function compareTaskKeys(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number);
  const [sb, pb] = b.split('_').map(Number);
  return pa! - pb! || sa! - sb! || a.localeCompare(b);
}
