import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, ReplyLog } from '../core/ports.js';

/**
 * The reply log in DynamoDB: one item per sender (by salted hash, never the address), one
 * counter per clock hour, and one per clock hour and recipient domain. Every write is conditional, so concurrent functions agree.
 * `expiresAt` is both the table's TTL attribute and part of each condition: TTL deletion
 * lags by up to days, and the window must end on time regardless.
 */
export class DynamoDbReplyLog implements ReplyLog {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
  }

  async claim(
    senderHash: string,
    sesMessageId: string,
    now: Date,
    windowDays: number,
  ): Promise<ClaimOutcome> {
    const nowSeconds = epochSeconds(now);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: senderKey(senderHash) },
          UpdateExpression: 'SET messageId = :id, expiresAt = :expires, claimedAt = :now, #status = :claimed',
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (messageId = :id AND #status = :claimed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':id': sesMessageId,
            ':expires': nowSeconds + windowDays * 86_400,
            ':now': nowSeconds,
            ':claimed': 'claimed',
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (
        !(error instanceof ConditionalCheckFailedException) &&
        (error as Error).name !== 'ConditionalCheckFailedException'
      ) {
        throw error;
      }
      const existing = await this.documents.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: senderKey(senderHash) },
          ConsistentRead: true,
        }),
      );
      return existing.Item?.messageId === sesMessageId ? 'already-replied' : 'within-window';
    }
  }

  async countReply(now: Date, hourlyCap: number, domainHash?: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: capKey(now, domainHash) },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :cap',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':cap': hourlyCap,
            ':expires': epochSeconds(now) + 2 * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async uncountReply(countedAt: Date, domainHash?: string): Promise<void> {
    await this.ifOurs(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: capKey(countedAt, domainHash) },
          UpdateExpression: 'ADD #count :minusOne',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      ),
    );
  }

  async release(senderHash: string, sesMessageId: string): Promise<void> {
    await this.ifOurs(() =>
      this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: senderKey(senderHash) },
          ConditionExpression: 'messageId = :id AND #status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':id': sesMessageId, ':claimed': 'claimed' },
        }),
      ),
    );
  }

  async markSent(senderHash: string, sesMessageId: string): Promise<void> {
    await this.mark(senderHash, sesMessageId, 'sent', null);
  }

  async markRejected(senderHash: string, sesMessageId: string, code: string): Promise<void> {
    await this.mark(senderHash, sesMessageId, 'rejected', code);
  }

  private async mark(
    senderHash: string,
    sesMessageId: string,
    status: string,
    code: string | null,
  ): Promise<void> {
    await this.ifOurs(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: senderKey(senderHash) },
          UpdateExpression: 'SET #status = :status, finishedAt = :now, rejection = :code',
          ConditionExpression: 'messageId = :id',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':id': sesMessageId,
            ':status': status,
            ':now': Date.now(),
            ':code': code,
          },
        }),
      ),
    );
  }

  /** Another mail took the slot meanwhile (window over): nothing of ours to change. */
  private async ifOurs(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

/** One counter per UTC clock hour, and one per hour and domain (by salted hash, never the name). */
function capKey(at: Date, domainHash?: string): string {
  const hour = `cap#${at.toISOString().slice(0, 13)}`;
  return domainHash ? `${hour}#domain#${domainHash}` : hour;
}

function senderKey(hash: string): string {
  return `sender#${hash}`;
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
