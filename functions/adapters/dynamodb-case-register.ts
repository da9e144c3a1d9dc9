import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Case, type CaseStatus, caseSchema } from '../core/cases.js';
import { CaseChanged, type CaseRegister, type OpenOutcome } from '../core/ports.js';

/** An item in the case table that is not a case: the table was written by something else. */
export class CaseItemInvalid extends Error {
  override readonly name = 'CaseItemInvalid';
}

/**
 * The case register in DynamoDB, one item per case keyed by `reference`. A new case is a
 * conditional put (attribute_not_exists), so the same mail opens it once however often
 * intake runs; every change is a put conditional on the version read (optimistic locking).
 * The register is small (a few hundred cases a year), so listing is a scan.
 */
export class DynamoDbCaseRegister implements CaseRegister {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async open(item: Case): Promise<OpenOutcome> {
    const written = await this.putIf(item, {
      ConditionExpression: 'attribute_not_exists(#reference)',
      ExpressionAttributeNames: { '#reference': 'reference' },
    });
    if (written) return 'opened';
    const existing = await this.get(item.reference);
    return existing?.sesMessageId === item.sesMessageId ? 'exists' : 'collision';
  }

  async get(reference: string): Promise<Case | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { reference }, ConsistentRead: true }),
    );
    return Item ? readCase(Item) : null;
  }

  async list(status?: CaseStatus): Promise<Case[]> {
    const cases: Case[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(status
            ? {
                FilterExpression: '#status = :status',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':status': status },
              }
            : {}),
        }),
      );
      for (const item of page.Items ?? []) cases.push(readCase(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return cases.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference));
  }

  async save(item: Case): Promise<void> {
    const written = await this.putIf(item, {
      ConditionExpression: '#version = :read',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':read': item.version - 1 },
    });
    if (!written) throw new CaseChanged(item.reference);
  }

  private async putIf(
    item: Case,
    condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function readCase(item: Record<string, unknown>): Case {
  const parsed = caseSchema.safeParse(item);
  if (!parsed.success) {
    // Field names only: values could be anything someone wrote into the table.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CaseItemInvalid(`case item is not a case (${fields})`);
  }
  return parsed.data;
}
