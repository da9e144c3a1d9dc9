import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

// One client per service per container, created at cold start and reused. Region and
// endpoints come from the environment as the SDK reads them (AWS_REGION,
// AWS_ENDPOINT_URL_S3, …), so the same code talks to AWS or to the local emulators.
// Each function creates only the clients it uses, which keeps its bundle small.

/** Options the tests and the local pipeline pass to bind a client to an emulator. */
export interface ClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Wraps the HTTP handler, e.g. to inject faults in tests. */
  requestHandler?: unknown;
}

// Throttling and 5xx are retried by the SDK's standard strategy first; what still fails
// goes back to the queue and is retried from there.
const RETRY = { maxAttempts: 4 } as const;

function options(overrides: ClientOptions) {
  return { ...RETRY, ...overrides } as Record<string, unknown>;
}

export const createS3Client = (overrides: ClientOptions = {}) =>
  // Path-style addressing works with every S3 endpoint, including emulators on an IP.
  new S3Client({
    ...options(overrides),
    forcePathStyle: Boolean(overrides.endpoint ?? process.env.AWS_ENDPOINT_URL_S3),
  });
export const createSqsClient = (overrides: ClientOptions = {}) =>
  // By default the SDK sends each request to its QueueUrl's host unless an endpoint is set in
  // code; with AWS_ENDPOINT_URL_SQS that host is the emulator's unresolvable
  // sqs.<region>.localhost. On AWS the two hosts are the same, so the resolved endpoint is right.
  new SQSClient({ ...options(overrides), useQueueUrlAsEndpoint: false });
export const createSesClient = (overrides: ClientOptions = {}) => new SESClient(options(overrides));
export const createDynamoDbClient = (overrides: ClientOptions = {}) => new DynamoDBClient(options(overrides));
export const createSecretsClient = (overrides: ClientOptions = {}) =>
  new SecretsManagerClient(options(overrides));
