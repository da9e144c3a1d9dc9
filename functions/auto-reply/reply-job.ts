import * as z from 'zod';
import { PermanentFailure } from '../core/errors.js';
import { gdprFactsSchema } from '../core/gdpr-facts-schema.js';
import { REPLY_TEMPLATES, type ReplyJob } from '../core/types.js';
import { parseJsonBody } from '../runtime/json-body.js';

const replyJobSchema = z.object({
  sesMessageId: z.string().min(1).max(128),
  to: z.string().min(3).max(254),
  template: z.enum(REPLY_TEMPLATES),
  subject: z.string().max(10_000),
  inReplyTo: z.string().max(1_000).nullable(),
  references: z.array(z.string().max(1_000)).max(200),
  cprWarning: z.boolean(),
  gdpr: gdprFactsSchema.nullable(),
  receivedAt: z.iso.datetime({ offset: true }),
  retry: z
    .object({
      attempt: z.number().int().min(2).max(1_000),
      firstTriedAt: z.iso.datetime({ offset: true }),
    })
    .strict()
    .optional(),
});

export class ReplyJobInvalid extends PermanentFailure {
  override readonly name = 'ReplyJobInvalid';
}

/** A replies-queue message, checked field by field: the queue is an input like any other. */
export function readReplyJob(body: string): ReplyJob {
  return parseJsonBody(body, replyJobSchema, ReplyJobInvalid);
}
