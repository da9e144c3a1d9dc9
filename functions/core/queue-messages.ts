import * as z from 'zod';
import { CASE_REFERENCE_FORMAT, caseReference } from './case-reference.js';
import { localDate } from './deadline.js';
import { PermanentFailure } from './errors.js';
import { SIGNALS } from './signals.js';
import {
  CONFIDENCES,
  GDPR_RIGHTS,
  type GdprFacts,
  REPLY_REASONS,
  REPLY_TEMPLATES,
  SCHEMA_VERSION,
  SENDER_KINDS,
  TOPICS,
  VERDICT_STATUSES,
} from './types.js';

// The messages our functions put on queues, each defined once, as a schema: the
// TriageRecord (every topic queue, and the forwards queue as the forward job) and the
// reply job (the replies queue). Their TypeScript types are derived from the schemas, and
// every consumer reads a message with its schema: a queue is an input like any other.
//
// Each schema is built when its module loads. `/* @__PURE__ */` lets the bundler leave out
// the ones a function never reads: auto-reply reads only reply jobs, and building the
// TriageRecord schema would cost its every cold start for nothing.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The GDPR facts of a mail (right, article, deadlines), on the TriageRecord and the reply job. */
const gdprFactsSchema: z.ZodType<GdprFacts> = /* @__PURE__ */ z
  .object({
    right: z.enum(GDPR_RIGHTS),
    article: z.number().int(),
    receivedOn: isoDate,
    dueOn: isoDate,
    extendedDueOn: isoDate,
    extensionNoticeBy: isoDate,
  })
  .strict();

const caseReferenceSchema = z.string().regex(CASE_REFERENCE_FORMAT);

const verdict = /* @__PURE__ */ z.enum(VERDICT_STATUSES);

/**
 * The TriageRecord: what consumers of the topic queues may rely on. The JSON Schema the
 * owners' systems get is generated from it (triage-record-json-schema.ts).
 */
export const triageRecordSchema = /* @__PURE__ */ z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    sesMessageId: z.string().min(1),
    receivedAt: z.iso.datetime(),
    s3: z
      .object({ bucket: z.string().min(1), key: z.string().min(1) })
      .strict()
      .nullable(),
    headerMessageId: z.string().nullable(),
    from: z.object({ address: z.string(), name: z.string() }).strict().nullable(),
    replyTo: z.string().nullable(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    subject: z.string(),
    language: z.enum(['da', 'en', 'unknown']),
    topic: z.enum(TOPICS),
    matchedRule: z.string().min(1),
    senderKind: z.enum(SENDER_KINDS),
    encryption: z.enum(['none', 'smime', 'pgp']),
    signed: z.boolean(),
    authentication: z
      .object({ spf: verdict, dkim: verdict, dmarc: verdict, spam: verdict, virus: verdict })
      .strict(),
    gdpr: gdprFactsSchema.nullable(),
    pii: z.object({ cprCount: z.number().int().min(0) }).strict(),
    fraud: z
      .object({ urls: z.array(z.string()), phoneNumbers: z.array(z.string()) })
      .strict()
      .nullable(),
    attachments: z.array(
      z
        .object({
          filename: z.string().nullable(),
          contentType: z.string(),
          size: z.number().int().min(0),
          sha256: z.string(),
        })
        .strict(),
    ),
    textPreview: z.string(),
    autoReply: z
      .object({
        decision: z.enum(['send', 'suppress']),
        reason: z.enum(REPLY_REASONS),
        template: z.enum(REPLY_TEMPLATES).nullable(),
      })
      .strict(),
    parseErrors: z.array(z.string()),
    // The evidence the routing rests on (signals.ts), stable ids.
    signals: z.array(z.enum(SIGNALS)),
    // How sure the topic is; a `low` data-subject request is for review and gets no deadline acknowledgement.
    confidence: z.enum(CONFIDENCES),
    // The case reference citizens quote and owners file by (case-reference.ts).
    reference: caseReferenceSchema,
    // Present and true when the record, capped, was still too large for a queue message:
    // lists and the preview were left out (record-limits.ts); the raw mail in `s3` holds everything.
    truncated: z.boolean().optional(),
  })
  .strict();

/** One mail, triaged: the message on its topic's queue (and, as the forward job, on the forwards queue). */
export type TriageRecord = z.infer<typeof triageRecordSchema>;

/**
 * A forward job is the TriageRecord intake routed, read with the record's schema. A record
 * queued before records carried a case reference (SQS keeps a forward job up to four days,
 * its dead letter up to fourteen) gets it derived as intake derives it; anything else a
 * record lacks is a broken contract.
 */
export const forwardJobSchema = /* @__PURE__ */ triageRecordSchema
  .extend({ reference: caseReferenceSchema.optional() })
  .transform(
    (record): TriageRecord => ({
      ...record,
      reference: record.reference ?? referenceOf(record.sesMessageId, record.receivedAt),
    }),
  );

/**
 * Everything needed to compose one auto-reply; what the replies queue carries. It holds
 * no body text from the incoming mail: only the subject, sanitised when composed.
 */
export const replyJobSchema = z
  .object({
    sesMessageId: z.string().min(1).max(128),
    // The one validated address the reply goes to (RFC 3834 §4).
    to: z.string().min(3).max(254),
    template: z.enum(REPLY_TEMPLATES),
    // The incoming subject, for "Automatisk svar / Automatic reply: …"; sanitised by the composer.
    subject: z.string().max(10_000),
    inReplyTo: z.string().max(1_000).nullable(),
    references: z.array(z.string().max(1_000)).max(200),
    cprWarning: z.boolean(),
    gdpr: gdprFactsSchema.nullable(),
    // The mail's case reference (TriageRecord.reference), which the citizen quotes in Digital
    // Post, and whether the mail is forwarded to its topic's owners (the general reply says
    // it was passed on to staff only then). Optional only for jobs queued before replies
    // carried them (a deferred job waits up to 24 hours): the reference is derived as intake
    // derives it, and a job that does not say the mail was forwarded is answered as if it was not.
    reference: caseReferenceSchema.optional(),
    forwarded: z.boolean().optional(),
    // When the incoming mail was received (ISO 8601), for the reply's wording and the reply log.
    receivedAt: z.iso.datetime({ offset: true }),
    // Set when the hourly caps deferred the reply and the job was queued again with a delay:
    // which try this is (2 for the first retry) and when the first try was. Absent on the
    // job intake queues.
    retry: z
      .object({
        attempt: z.number().int().min(2).max(1_000),
        firstTriedAt: z.iso.datetime({ offset: true }),
      })
      .strict()
      .optional(),
  })
  .transform(({ reference, forwarded, ...job }) => ({
    ...job,
    reference: reference ?? referenceOf(job.sesMessageId, job.receivedAt),
    forwarded: forwarded ?? false,
  }));

/** One auto-reply to compose and send: the message on the replies queue. */
export type ReplyJob = z.output<typeof replyJobSchema>;

/** The reference of a mail as intake derives it: its year of receipt in the default calendar's time zone. */
function referenceOf(sesMessageId: string, receivedAt: string): string {
  return caseReference(
    sesMessageId,
    Number(localDate(new Date(receivedAt), 'Europe/Copenhagen').slice(0, 4)),
  );
}

export class ReplyJobInvalid extends PermanentFailure {
  override readonly name = 'ReplyJobInvalid';
}

export class ForwardJobInvalid extends PermanentFailure {
  override readonly name = 'ForwardJobInvalid';
}

/** A replies-queue message, checked field by field. */
export function readReplyJob(body: string): ReplyJob {
  return readMessage(body, replyJobSchema, ReplyJobInvalid);
}

/** A forwards-queue message: a TriageRecord, checked whole. */
export function readForwardJob(body: string): TriageRecord {
  return readMessage(body, forwardJobSchema, ForwardJobInvalid);
}

/** Parses a queue message body as JSON and checks it; the error names the fields, never their values. */
function readMessage<S extends z.ZodType>(
  body: string,
  schema: S,
  invalid: new (message: string) => PermanentFailure,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new invalid('not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.path.join('.') || '(root)'} (unknown field)`
        : issue.path.join('.'),
    );
    throw new invalid(`invalid fields: ${fields.join(', ')}`);
  }
  return parsed.data;
}
