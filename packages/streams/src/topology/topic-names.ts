/**
 * Names of the topics the runtime creates for an application, as Kafka Streams names
 * them; the one place that spells them, so stores, the runtime and the test driver agree.
 */

/** `<applicationId>-<store>-changelog` */
export function changelogTopicName(applicationId: string, store: string): string {
  return `${applicationId}-${store}-changelog`;
}
