import * as z from 'zod';
import { CASE_REFERENCE_FORMAT, caseReference } from '../core/case-reference.js';
import { localDate } from '../core/deadline.js';
import { PermanentFailure } from '../core/errors.js';
import { TOPICS, type TriageRecord } from '../core/types.js';
import { parseJsonBody } from '../runtime/json-body.js';

// A forward job is the TriageRecord intake routed. Deliver relies on a few fields only;
// those are checked, the rest is passed through to the summary as it is.
const forwardJob = z
  .object({
    schemaVersion: z.literal(1),
    sesMessageId: z.string().min(1).max(128),
    receivedAt: z.iso.datetime({ offset: true }),
    topic: z.enum(TOPICS),
    s3: z.object({ bucket: z.string().min(1), key: z.string().min(1) }).nullable(),
    subject: z.string(),
    pii: z.object({ cprCount: z.number() }),
    autoReply: z.object({ decision: z.string(), reason: z.string() }),
    // The forward's subject, summary and calendar file are named by it. A record queued
    // before records carried one gets it derived as intake derives it.
    reference: z.string().regex(CASE_REFERENCE_FORMAT).optional(),
  })
  .loose()
  .transform((job) => ({
    ...job,
    reference:
      job.reference ??
      caseReference(
        job.sesMessageId,
        Number(localDate(new Date(job.receivedAt), 'Europe/Copenhagen').slice(0, 4)),
      ),
  }));

export class ForwardJobInvalid extends PermanentFailure {
  override readonly name = 'ForwardJobInvalid';
}

export function readForwardJob(body: string): TriageRecord {
  return parseJsonBody(body, forwardJob, ForwardJobInvalid) as unknown as TriageRecord;
}
