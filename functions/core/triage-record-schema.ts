import * as z from 'zod';
import { gdprFactsSchema } from './gdpr-facts-schema.js';
import { SIGNALS } from './signals.js';
import {
  CONFIDENCES,
  REPLY_REASONS,
  REPLY_TEMPLATES,
  SCHEMA_VERSION,
  SENDER_KINDS,
  TOPICS,
  type TriageRecord,
  VERDICT_STATUSES,
} from './types.js';

// The TriageRecord as a schema: what consumers of the topic queues may rely on. Tests
// validate every record the pipeline produces against it.

const verdict = z.enum(VERDICT_STATUSES);

export const triageRecordSchema = z
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
    signals: z.array(z.enum(SIGNALS)),
    confidence: z.enum(CONFIDENCES),
    reference: z.string().regex(/^SSI-DB-\d{4}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/),
    truncated: z.boolean().optional(),
  })
  .strict();

// Keeps the schema and the TypeScript type from drifting apart.
export type TriageRecordFromSchema = z.infer<typeof triageRecordSchema>;
const _typeCheck: TriageRecordFromSchema extends TriageRecord ? true : never = true;
void _typeCheck;
