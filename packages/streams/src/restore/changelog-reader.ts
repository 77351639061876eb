/** What restoring needs from Kafka; client/ implements it, restore/ uses it. */
export interface ChangelogReader {
  /** Offsets of the first and next-to-be-written records of each partition. */
  offsets(topic: string, partition: number): Promise<{ low: string; high: string }>;
  /** Reads [from, to) of one partition, batch by batch; resolves when `to` is reached. */
  read(
    topic: string,
    partition: number,
    from: string,
    to: string,
    onBatch: (
      records: ReadonlyArray<{ key: Buffer | null; value: Buffer | null; timestamp: number; offset: string }>,
    ) => Promise<void>,
  ): Promise<void>;
}
