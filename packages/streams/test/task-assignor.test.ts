import { describe, expect, it } from 'vitest';
import { assignTasks } from '../src/client/kafkajs/task-assignor';

const tasks = ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3'];
const count = (owner: Map<string, string>, m: string) => [...owner.values()].filter((x) => x === m).length;

describe('assignTasks', () => {
  it('balances tasks across members', () => {
    const owner = assignTasks(tasks, ['a', 'b', 'c'], new Map());
    expect(owner.size).toBe(8);
    expect(['a', 'b', 'c'].map((m) => count(owner, m)).sort()).toEqual([2, 3, 3]);
  });

  it('keeps tasks where they were when a member joins, and moves only what the newcomer needs', () => {
    const before = assignTasks(tasks, ['a', 'b'], new Map());
    const previous = new Map(['a', 'b'].map((m) => [m, tasks.filter((t) => before.get(t) === m)]));
    const after = assignTasks(tasks, ['a', 'b', 'c'], previous);
    const moved = tasks.filter((t) => after.get(t) !== before.get(t));
    expect(moved.every((t) => after.get(t) === 'c')).toBe(true);
    expect(moved).toHaveLength(count(after, 'c'));
    expect(count(after, 'c')).toBeGreaterThanOrEqual(2);
  });

  it('hands a leaving member’s tasks to the others, leaving theirs in place', () => {
    const previous = new Map([
      ['a', ['0_0', '0_1', '0_2']],
      ['b', ['0_3', '1_0', '1_1']],
      ['c', ['1_2', '1_3']],
    ]);
    const after = assignTasks(tasks, ['a', 'b'], previous);
    for (const t of ['0_0', '0_1', '0_2']) expect(after.get(t)).toBe('a');
    for (const t of ['0_3', '1_0', '1_1']) expect(after.get(t)).toBe('b');
    expect(count(after, 'a')).toBe(4);
    expect(count(after, 'b')).toBe(4);
  });
});
