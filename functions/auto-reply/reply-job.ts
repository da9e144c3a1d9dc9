import * as z from 'zod';
import { CASE_REFERENCE_FORMAT, caseReference } from '../core/case-reference.js';
import { localDate } from '../core/deadline.js';
import { PermanentFailure } from '../core/errors.js';
import { gdprFactsSchema } from '../core/gdpr-facts-schema.js';
import { REPLY_TEMPLATES, type ReplyJob } from '../core/types.js';
import { parseJsonBody } from '../runtime/json-body.js';

const replyJobSchema = z
  .object({
    sesMessageId: z.string().min(1).max(128),
    to: z.string().min(3).max(254),
    template: z.enum(REPLY_TEMPLATES),
    subject: z.string().max(10_000),
    inReplyTo: z.string().max(1_000).nullable(),
    references: z.array(z.string().max(1_000)).max(200),
    cprWarning: z.boolean(),
    gdpr: gdprFactsSchema.nullable(),
    // Optional only for jobs queued before replies carried them (a deferred job waits up to
    // 24 hours): the reference is derived the same way intake derives it, and a job that
    // does not say the mail was forwarded is answered as if it was not.
    reference: z.string().regex(CASE_REFERENCE_FORMAT).optional(),
    forwarded: z.boolean().optional(),
    receivedAt: z.iso.datetime({ offset: true }),
    retry: z
      .object({
        attempt: z.number().int().min(2).max(1_000),
        firstTriedAt: z.iso.datetime({ offset: true }),
      })
      .strict()
      .optional(),
  })
  .transform(
    ({ reference, forwarded, ...job }): ReplyJob => ({
      ...job,
      reference: reference ?? caseReference(job.sesMessageId, receiptYear(job.receivedAt)),
      forwarded: forwarded ?? false,
    }),
  );

/** The year of receipt as intake counts it, in the default calendar's time zone. */
function receiptYear(receivedAt: string): number {
  return Number(localDate(new Date(receivedAt), 'Europe/Copenhagen').slice(0, 4));
}

export class ReplyJobInvalid extends PermanentFailure {
  override readonly name = 'ReplyJobInvalid';
}

/** A replies-queue message, checked field by field: the queue is an input like any other. */
export function readReplyJob(body: string): ReplyJob {
  return parseJsonBody(body, replyJobSchema, ReplyJobInvalid);
}
