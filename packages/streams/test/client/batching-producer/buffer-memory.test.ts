import { describe, expect, it } from 'vitest';
import { BufferMemory } from '../../../src/client/batching-producer/buffer-memory';

describe('BufferMemory', () => {
  it('reserves up to the limit, refuses beyond it, and frees on release', () => {
    const memory = new BufferMemory(1_000);
    expect(memory.tryReserve(600)).toBe(true);
    expect(memory.tryReserve(400)).toBe(true);
    expect(memory.used).toBe(1_000);
    expect(memory.tryReserve(1)).toBe(false);
    expect(memory.used).toBe(1_000); // a refused reservation takes nothing
    memory.release(600);
    expect(memory.tryReserve(500)).toBe(true);
    expect(memory.used).toBe(900);
  });

  it('knows which records could never fit', () => {
    const memory = new BufferMemory(1_000);
    expect(memory.canEverFit(1_000)).toBe(true);
    expect(memory.canEverFit(1_001)).toBe(false);
  });

  it('refuses to release more than it holds (an accounting bug, not a state to carry on in)', () => {
    const memory = new BufferMemory(1_000);
    memory.tryReserve(10);
    expect(() => memory.release(11)).toThrow(/only 10 are reserved/);
  });
});
