import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createDynamoDbClient,
  createS3Client,
  createSesClient,
  createSqsClient,
} from '../functions/adapters/aws-clients.js';
import { TOPICS, type Topic } from '../functions/core/types.js';
import { ENV, RAW_PREFIX } from '../functions/runtime/environment.js';
import {
  ALL_QUEUES,
  MAIL_TOPIC_NAME,
  MAX_RECEIVE_COUNT,
  QUEUE_NAMES,
  RAW_BUCKET_NAME,
  TABLE_NAMES,
} from '../functions/runtime/resource-names.js';
import { awsClientConfig, type Emulators } from './emulators.js';

/** What the local pipeline created, and the environment the functions read it from. */
export interface LocalResources {
  bucket: string;
  mailTopicArn: string;
  queues: Record<string, { url: string; arn: string; dlqUrl: string }>;
  tables: { idempotency: string; replyLog: string; cases: string };
  /** The same environment variables the CDK stack sets on the functions. */
  functionEnv: Record<string, string>;
}

export interface ProvisionOptions {
  /** Visibility timeout of every queue, in seconds (Lambda: ≥ 6 × the function timeout). */
  visibilityTimeoutSeconds?: number;
  /** JSON overrides of the triage configuration, as the stack passes them. */
  configOverrides?: unknown;
  maxReceiveCount?: number;
}

/**
 * Creates in the emulators what the CDK stack creates in AWS: the raw-mail bucket, the
 * SNS topic SES notifies, the intake/topic/replies/forwards queues each with a DLQ and a
 * redrive policy, the intake subscription (raw delivery off), and the three tables.
 */
export async function provisionLocal(
  { s3, sqs, sns, dynamodb }: Pick<EmulatorClients, 's3' | 'sqs' | 'sns' | 'dynamodb'>,
  options: ProvisionOptions = {},
): Promise<LocalResources> {
  await s3.send(new CreateBucketCommand({ Bucket: RAW_BUCKET_NAME }));
  const visibility = String(options.visibilityTimeoutSeconds ?? 30);
  const queues: LocalResources['queues'] = {};
  for (const name of ALL_QUEUES) {
    const dlq = await createQueue(sqs, QUEUE_NAMES.deadLetter(name), { MessageRetentionPeriod: '1209600' });
    const queue = await createQueue(sqs, name, {
      VisibilityTimeout: visibility,
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: options.maxReceiveCount ?? MAX_RECEIVE_COUNT,
      }),
    });
    queues[name] = { url: queue.url, arn: queue.arn, dlqUrl: dlq.url };
  }
  const topic = await sns.send(new CreateTopicCommand({ Name: MAIL_TOPIC_NAME }));
  const mailTopicArn = topic.TopicArn ?? '';
  await sns.send(
    new SubscribeCommand({
      TopicArn: mailTopicArn,
      Protocol: 'sqs',
      Endpoint: queues[QUEUE_NAMES.intake]?.arn,
      Attributes: { RawMessageDelivery: 'false' },
    }),
  );
  await createTable(dynamodb, TABLE_NAMES.idempotency, 'id');
  await createTable(dynamodb, TABLE_NAMES.replyLog, 'pk');
  await createTable(dynamodb, TABLE_NAMES.cases, 'reference');

  const queueUrl = (name: string) => queues[name]?.url ?? '';
  const topicQueues = Object.fromEntries(TOPICS.map((t: Topic) => [t, queueUrl(QUEUE_NAMES.topic(t))]));
  const functionEnv: Record<string, string> = {
    [ENV.rawBucket]: RAW_BUCKET_NAME,
    [ENV.rawPrefix]: RAW_PREFIX,
    [ENV.topicQueues]: JSON.stringify(topicQueues),
    [ENV.repliesQueue]: queueUrl(QUEUE_NAMES.replies),
    [ENV.forwardsQueue]: queueUrl(QUEUE_NAMES.forwards),
    [ENV.idempotencyTable]: TABLE_NAMES.idempotency,
    [ENV.replyLogTable]: TABLE_NAMES.replyLog,
    [ENV.casesTable]: TABLE_NAMES.cases,
    // Locally the salt is a constant: the emulated table holds only test data.
    [ENV.replySalt]: 'local-pipeline-salt-not-secret',
    ...(options.configOverrides ? { [ENV.config]: JSON.stringify(options.configOverrides) } : {}),
  };
  return {
    bucket: RAW_BUCKET_NAME,
    mailTopicArn,
    queues,
    tables: {
      idempotency: TABLE_NAMES.idempotency,
      replyLog: TABLE_NAMES.replyLog,
      cases: TABLE_NAMES.cases,
    },
    functionEnv,
  };
}

/** Creates a queue and returns its URL and ARN. */
export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}) {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl ?? '';
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attrs.Attributes?.QueueArn ?? '' };
}

/** Creates a table keyed by one string attribute and waits until it is ACTIVE. */
export async function createTable(dynamodb: DynamoDBClient, name: string, key: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 100; i++) {
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    if (table.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${name} did not become active`);
}

/** SDK clients bound to the emulators, one per service the pipeline talks to. */
export function emulatorClients(emulators: Emulators) {
  return {
    s3: createS3Client(awsClientConfig(emulators, 's3')),
    sqs: createSqsClient(awsClientConfig(emulators, 'sqs')),
    // The adapters have no SNS client: only SES publishes to the topic in AWS.
    sns: new SNSClient(awsClientConfig(emulators, 'sns')),
    ses: createSesClient(awsClientConfig(emulators, 'ses')),
    dynamodb: createDynamoDbClient(awsClientConfig(emulators, 'dynamodb')),
  };
}

export type EmulatorClients = ReturnType<typeof emulatorClients>;
