import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * One client per service per container, reused across invocations. Region and endpoints
 * come from the environment (AWS_REGION, AWS_ENDPOINT_URL_S3, …) as the SDK reads them,
 * so the same code talks to AWS or to the local emulators.
 */
export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  ses: SESClient;
  dynamodb: DynamoDBClient;
  secrets: SecretsManagerClient;
}

// Throttling and 5xx are retried by the SDK's standard strategy first; what still fails
// goes back to the queue and is retried from there.
const retry = { maxAttempts: 4 } as const;

export function createAwsClients(): AwsClients {
  return {
    // Path-style addressing works with every S3 endpoint, including emulators on an IP.
    s3: new S3Client({ ...retry, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }),
    sqs: new SQSClient(retry),
    ses: new SESClient(retry),
    dynamodb: new DynamoDBClient(retry),
    secrets: new SecretsManagerClient(retry),
  };
}
