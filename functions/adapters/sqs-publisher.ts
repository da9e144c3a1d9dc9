import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuePublisher } from '../core/ports.js';
import { queueMessageBody } from './queue-message-body.js';

export class SqsPublisher implements QueuePublisher {
  constructor(private readonly sqs: SQSClient) {}

  async publish(queueUrl: string, body: unknown): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: queueMessageBody(body) }));
  }
}
