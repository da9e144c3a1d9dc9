import * as z from 'zod';
import { PermanentFailure } from '../core/errors.js';
import { TOPICS, type TriageRecord } from '../core/types.js';
import { parseJsonBody } from '../runtime/json-body.js';

// A forward job is the TriageRecord intake routed. Deliver relies on a few fields only;
// those are checked, the rest is passed through to the summary as it is.
const forwardJob = z
  .object({
    schemaVersion: z.literal(1),
    sesMessageId: z.string().min(1).max(128),
    topic: z.enum(TOPICS),
    s3: z.object({ bucket: z.string().min(1), key: z.string().min(1) }).nullable(),
    subject: z.string(),
    pii: z.object({ cprCount: z.number() }),
    autoReply: z.object({ decision: z.string(), reason: z.string() }),
  })
  .loose();

export class ForwardJobInvalid extends PermanentFailure {
  override readonly name = 'ForwardJobInvalid';
}

export function readForwardJob(body: string): TriageRecord {
  return parseJsonBody(body, forwardJob, ForwardJobInvalid) as unknown as TriageRecord;
}
