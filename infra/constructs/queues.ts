import { Duration, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TOPICS, type Topic } from '../../functions/core/types.js';
import { ALL_QUEUES, MAX_RECEIVE_COUNT, QUEUE_NAMES } from '../../functions/runtime/resource-names.js';

/** SQS keeps a message at most 14 days: the longest a bug or an outage can delay mail. */
const RETENTION = Duration.days(14);
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
    const pair = (name: string, visibilityTimeout: Duration) => this.pair(name, visibilityTimeout, props.key);
    const { consumerTimeouts } = props;

    this.intake = pair(QUEUE_NAMES.intake, sixTimes(consumerTimeouts.intake));
    this.topics = Object.fromEntries(
      TOPICS.map((topic) => [topic, pair(QUEUE_NAMES.topic(topic), TOPIC_VISIBILITY)]),
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

  private pair(name: string, visibilityTimeout: Duration, key: IKey): QueuePair {
    const prefix = Stack.of(this).stackName;
    const encrypted = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: RETENTION,
    };
    const dlq = new Queue(this, `${pascal(name)}Dlq`, {
      ...encrypted,
      queueName: `${prefix}-${QUEUE_NAMES.deadLetter(name)}`,
    });
    const queue = new Queue(this, pascal(name), {
      ...encrypted,
      queueName: `${prefix}-${name}`,
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
