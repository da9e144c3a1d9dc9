import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Powertools' DynamoDB layer on our table (key `id`, TTL attribute `expiration`). */
export function idempotencyStore(tableName: string, dynamodb: DynamoDBClient) {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamodb });
}
