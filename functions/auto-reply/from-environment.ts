import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  createDynamoDbClient,
  createSecretsClient,
  createSesClient,
  createSqsClient,
} from '../adapters/aws-clients.js';
import { DynamoDbReplyLog } from '../adapters/dynamodb-reply-log.js';
import { replySaltProvider } from '../adapters/reply-salt.js';
import { SesRawMailSender } from '../adapters/ses-sender.js';
import { SqsReplyQueue } from '../adapters/sqs-reply-queue.js';
import { loadRuntimeEnvironment } from '../runtime/environment.js';
import { idempotencyStore } from '../runtime/idempotency-store.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createAutoReplyHandler } from './create-handler.js';

export interface AutoReplyClients {
  ses: SESClient;
  dynamodb: DynamoDBClient;
  /** For putting a reply the caps hold back on its own queue again; created here when not given. */
  sqs?: SQSClient;
  /** Needed only when the salt is a secret (REPLY_SALT_SECRET_ARN), as it is deployed. */
  secrets?: SecretsManagerClient;
}

/** The auto-reply handler assembled from its environment and real AWS clients. */
export function autoReplyHandlerFrom(
  env: Record<string, string | undefined>,
  clients: AutoReplyClients = {
    ses: createSesClient(),
    dynamodb: createDynamoDbClient(),
    sqs: createSqsClient(),
    secrets: createSecretsClient(),
  },
  now: () => Date = () => new Date(),
) {
  const runtime = loadRuntimeEnvironment(env, [
    'replyLogTable',
    'idempotencyTable',
    'replySalt',
    'repliesQueueUrl',
  ]);
  const { logger, metrics } = createObservability(SERVICE_NAMES.autoReply);
  return createAutoReplyHandler(
    {
      config: runtime.config,
      replyLog: new DynamoDbReplyLog(clients.dynamodb, runtime.replyLogTable),
      replyQueue: new SqsReplyQueue(clients.sqs ?? createSqsClient(), runtime.repliesQueueUrl),
      sender: new SesRawMailSender(clients.ses),
      salt: replySaltProvider(runtime.replySalt, clients.secrets),
      logger,
      metrics,
      now,
    },
    idempotencyStore(runtime.idempotencyTable, clients.dynamodb),
  );
}
