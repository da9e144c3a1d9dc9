import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReplyQueue } from '../core/ports.js';
import type { ReplyJob } from '../core/queue-messages.js';
import { queueMessageBody } from './queue-message-body.js';

/** SQS's longest per-message delay (SendMessage DelaySeconds). */
export const MAX_DELAY_SECONDS = 900;

/** The replies queue in SQS: a deferred reply goes back on it with a per-message delay. */
export class SqsReplyQueue implements ReplyQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async defer(job: ReplyJob, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: queueMessageBody(job),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
      }),
    );
  }
}
