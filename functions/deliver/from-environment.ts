import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import { createDynamoDbClient, createS3Client, createSesClient } from '../adapters/aws-clients.js';
import { S3MailStore } from '../adapters/s3-mail-store.js';
import { SesRawMailSender } from '../adapters/ses-sender.js';
import { loadRuntimeEnvironment } from '../runtime/environment.js';
import { idempotencyStore } from '../runtime/idempotency-store.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createDeliverHandler } from './create-handler.js';

export interface DeliverClients {
  s3: S3Client;
  ses: SESClient;
  dynamodb: DynamoDBClient;
}

/** The deliver handler assembled from its environment and real AWS clients. */
export function deliverHandlerFrom(
  env: Record<string, string | undefined>,
  clients: DeliverClients = {
    s3: createS3Client(),
    ses: createSesClient(),
    dynamodb: createDynamoDbClient(),
  },
  now: () => Date = () => new Date(),
) {
  const runtime = loadRuntimeEnvironment(env, ['rawBucket', 'idempotencyTable']);
  const { logger, metrics } = createObservability(SERVICE_NAMES.deliver);
  return createDeliverHandler(
    {
      config: runtime.config,
      maxForwardBytes: runtime.maxForwardBytes,
      mailStore: new S3MailStore(clients.s3, { bucket: runtime.rawBucket, prefix: runtime.rawPrefix }),
      sender: new SesRawMailSender(clients.ses),
      logger,
      metrics,
      now,
    },
    idempotencyStore(runtime.idempotencyTable, clients.dynamodb),
  );
}
