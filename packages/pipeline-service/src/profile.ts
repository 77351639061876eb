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
  processingGuarantee: z.enum(['at_least_once', 'exactly_once_v2']).optional(),
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
    const raw = JSON.parse(readFileSync(path, 'utf8')) as ProfileFile;
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(
        `profile ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    // merge what the file says, not the parse result: zod fills the nested schemas' defaults
    // into a partial object, which would reset knobs a base profile set
    files.unshift(raw);
    next = raw.extends;
  }
  for (const file of files) merged = mergeProfile(merged, file);
  const { extends: _ignored, ...rest } = merged;
  return { ...rest, name, chain };
}

function mergeProfile(base: ProfileFile, over: ProfileFile): ProfileFile {
  return {
    ...base,
    ...over,
    producer: { ...base.producer, ...over.producer },
    consumer: { ...base.consumer, ...over.consumer },
    stateStore: { ...base.stateStore, ...over.stateStore },
  };
}

/**
 * Knobs from the environment (PROFILE_OVERRIDES, a JSON object in the profile's shape) on
 * top of a profile: one run can change a knob without a new file (tests use it for a short
 * session timeout). The chain records it, so logs show the profile was overridden.
 */
export function applyProfileOverrides(profile: Profile, json: string | undefined): Profile {
  if (json === undefined || json.trim() === '') return profile;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`PROFILE_OVERRIDES is not JSON: ${(e as Error).message}`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success || parsed.data.extends !== undefined) {
    const issues = parsed.success
      ? '"extends" is not allowed here'
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`PROFILE_OVERRIDES: ${issues}`);
  }
  const { name, chain, ...knobs } = profile;
  return { ...mergeProfile(knobs, raw as ProfileFile), name, chain: ['overrides', ...chain] };
}
