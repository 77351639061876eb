import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateStoreConfigSchema } from '../../../src/config/schema';
import { MemoryGovernor } from '../../../src/state/leveldb/memory-governor';
import { closeLevel, openLevel } from '../../../src/state/leveldb/open-level';

const config = stateStoreConfigSchema.parse({});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openLevel', () => {
  it('waits for a directory another opener still holds (a task moving between instances)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'open-level-'));
    dirs.push(dir);
    const location = join(dir, 'db');
    const first = await openLevel(location, config, new MemoryGovernor(config));
    const governor = new MemoryGovernor(config);
    let opened = false;
    const second = openLevel(location, config, governor).then((db) => {
      opened = true;
      return db;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(opened).toBe(false);
    await closeLevel(first, new MemoryGovernor(config));
    const db = await second;
    expect(db.status).toBe('open');
    expect(governor.snapshot().instances).toBe(1);
    await closeLevel(db, governor);
    expect(governor.snapshot().instances).toBe(0);
  });
});
