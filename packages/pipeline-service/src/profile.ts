import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { producerConfigSchema, consumerConfigSchema, stateStoreConfigSchema } from '@streamtune/streams';

/**
 * A profile is the part of a service's config that the tuning playbook changes. Each
 * service has one file per step under `profiles/`; a file may extend another, so a step
 * differs from its base in exactly the knobs it names.
 */
const profileSchema = z.strictObject({
  extends: z.string().optional(),
  description: z.string().optional(),
  commitIntervalMs: z.number().int().nonnegative().optional(),
  windowStoreChangelogRetention: z.enum(['window-plus-additional', 'broker-default']).optional(),
  windowStoreChangelogAdditionalRetentionMs: z.number().int().nonnegative().optional(),
  producer: producerConfigSchema.unwrap().partial().optional(),
  consumer: consumerConfigSchema.unwrap().partial().optional(),
  stateStore: stateStoreConfigSchema.unwrap().partial().optional(),
});

export type ProfileFile = z.infer<typeof profileSchema>;
export type Profile = Omit<ProfileFile, 'extends'> & { name: string; chain: string[] };

export function loadProfile(profilesDir: string, name: string): Profile {
  const chain: string[] = [];
  let merged: ProfileFile = {};
  let next: string | undefined = name;
  const files: ProfileFile[] = [];
  while (next) {
    if (chain.includes(next))
      throw new Error(`profile "${name}": "extends" loops through ${chain.join(' -> ')}`);
    chain.push(next);
    const path = join(profilesDir, `${next}.json`);
    if (!existsSync(path)) throw new Error(`profile "${next}" not found: no ${path}`);
    const parsed = profileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `profile ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    files.unshift(parsed.data);
    next = parsed.data.extends;
  }
  for (const file of files) {
    merged = {
      ...merged,
      ...file,
      producer: { ...merged.producer, ...file.producer },
      consumer: { ...merged.consumer, ...file.consumer },
      stateStore: { ...merged.stateStore, ...file.stateStore },
    };
  }
  const { extends: _ignored, ...rest } = merged;
  return { ...rest, name, chain };
}
