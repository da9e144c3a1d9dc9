import { Duration, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TOPICS, type Topic } from '../../functions/core/types.js';
import { ALL_QUEUES, MAX_RECEIVE_COUNT, QUEUE_NAMES } from '../../functions/runtime/resource-names.js';

/**
 * How long each kind of queue keeps a message. SQS keeps one at most 14 days, counted from
 * when it was first sent: moving to a dead-letter queue does not restart the clock. So
 * every DLQ keeps the full 14 days and every source queue less, and a message that fails
 * on its source queue's last day still has days in its DLQ to be noticed (the DLQ alarm
 * fires at once) and redriven. Shorter on the source queues is also less personal data kept.
 */
export const QUEUE_RETENTION = {
  /** Intake, replies, forwards: our functions take each message within seconds; a failing one reaches its DLQ within the hour. */
  work: Duration.days(4),
  /** The owners' systems read the topic queues: room for a closure such as Christmas to New Year. */
  topic: Duration.days(10),
  deadLetter: Duration.days(14),
} as const;
/** Owners' systems consume the topic queues; this is their time to handle one message. */
const TOPIC_VISIBILITY = Duration.minutes(5);

export interface QueuesProps {
  key: IKey;
  /** Each consumer function's timeout; its queue's visibility timeout is six times that. */
  consumerTimeouts: { intake: Duration; autoReply: Duration; deliver: Duration };
}

/** A work queue and its own dead-letter queue. */
export interface QueuePair {
  queue: Queue;
  dlq: Queue;
}

/**
 * Every step after S3 reads from a queue with a dead-letter queue, so a bug, a throttle
 * or an outage delays mail but never loses it.
 */
export class Queues extends Construct {
  readonly intake: QueuePair;
  readonly topics: Record<Topic, QueuePair>;
  readonly replies: QueuePair;
  readonly forwards: QueuePair;
  /** Every pair, by its queue name. */
  private readonly byName = new Map<string, QueuePair>();

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const pair = (name: string, visibilityTimeout: Duration, retention = QUEUE_RETENTION.work) =>
      this.pair(name, visibilityTimeout, retention, props.key);
    const { consumerTimeouts } = props;

    this.intake = pair(QUEUE_NAMES.intake, sixTimes(consumerTimeouts.intake));
    this.topics = Object.fromEntries(
      TOPICS.map((topic) => [topic, pair(QUEUE_NAMES.topic(topic), TOPIC_VISIBILITY, QUEUE_RETENTION.topic)]),
    ) as Record<Topic, QueuePair>;
    this.replies = pair(QUEUE_NAMES.replies, sixTimes(consumerTimeouts.autoReply));
    this.forwards = pair(QUEUE_NAMES.forwards, sixTimes(consumerTimeouts.deliver));
  }

  /** Every queue pair, named, in ALL_QUEUES order: for alarms and the dashboard. */
  all(): Array<{ name: string } & QueuePair> {
    return ALL_QUEUES.map((name) => {
      const pair = this.byName.get(name);
      if (!pair) throw new Error(`no queue named ${name}`);
      return { name, ...pair };
    });
  }

  private pair(name: string, visibilityTimeout: Duration, retention: Duration, key: IKey): QueuePair {
    const prefix = Stack.of(this).stackName;
    const encrypted = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
    };
    const dlq = new Queue(this, `${pascal(name)}Dlq`, {
      ...encrypted,
      queueName: `${prefix}-${QUEUE_NAMES.deadLetter(name)}`,
      retentionPeriod: QUEUE_RETENTION.deadLetter,
    });
    const queue = new Queue(this, pascal(name), {
      ...encrypted,
      queueName: `${prefix}-${name}`,
      retentionPeriod: retention,
      visibilityTimeout,
      deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    const pair = { queue, dlq };
    this.byName.set(name, pair);
    return pair;
  }
}

/** AWS's guidance for SQS event sources: visibility timeout at least six times the function timeout. */
function sixTimes(timeout: Duration): Duration {
  return Duration.seconds(timeout.toSeconds() * 6);
}

export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
