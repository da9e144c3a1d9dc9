import { TOPICS, type Topic } from '../core/types.js';

/**
 * The logical names of the system's queues, topic, tables and bucket. The local pipeline
 * uses them as they are; the CDK stack names its queues and topic `<stack name>-<name>`
 * and leaves the tables and the bucket to CloudFormation's generated names.
 */
export const QUEUE_NAMES = {
  intake: 'intake',
  replies: 'replies',
  forwards: 'forwards',
  topic: (topic: Topic) => `topic-${topic}`,
  deadLetter: (name: string) => `${name}-dlq`,
} as const;

export const ALL_QUEUES: string[] = [
  QUEUE_NAMES.intake,
  ...TOPICS.map(QUEUE_NAMES.topic),
  QUEUE_NAMES.replies,
  QUEUE_NAMES.forwards,
];

export const TABLE_NAMES = { idempotency: 'idempotency', replyLog: 'reply-log', cases: 'cases' } as const;
export const MAIL_TOPIC_NAME = 'mail-arrived';
export const RAW_BUCKET_NAME = 'raw-mail';

/**
 * The S3 object tag intake sets on stored mail, its value the topic id; the bucket's
 * lifecycle rules expire mail by it (infra/constructs/storage.ts).
 */
export const RETENTION_TAG_KEY = 'topic';

/** Redelivery attempts before a message moves to its dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
