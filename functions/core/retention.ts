import * as z from 'zod';
import { TOPICS, type Topic } from './types.js';

// How long raw mail is kept, per topic (GDPR Art. 5(1)(e), storage limitation). The topic
// is known only after triage, so the stack's lifecycle rules read a tag intake sets on the
// stored mail; mail without the tag is kept for the longest retention of any topic.

/**
 * A queue or dead-letter queue keeps a message at most 14 days (SQS's limit), and every
 * message names its mail in S3: mail kept shorter could be gone when its message is handled.
 */
export const MIN_RETENTION_DAYS = 14;

/**
 * GDPR Art. 12(3): a request is answered within one month, extendable by two more. Three
 * months are at most 92 days, and the due date moves past weekends and Danish public
 * holidays (Easter adds up to five days): 97 days. The request's mail is the evidence of
 * what was asked and when until then, so it is kept at least that long, plus a margin.
 */
export const MIN_DATA_SUBJECT_REQUEST_DAYS = 100;

const MAX_RETENTION_DAYS = 3650;

const days = z
  .number()
  .int()
  .min(
    MIN_RETENTION_DAYS,
    `must be at least ${MIN_RETENTION_DAYS} days: a message can wait that long in a queue or dead-letter queue and must still find its mail`,
  )
  .max(MAX_RETENTION_DAYS);

const topicDays = Object.fromEntries(TOPICS.map((topic) => [topic, days.optional()])) as {
  [T in Topic]: z.ZodOptional<typeof days>;
};

const EXAMPLE = '{"default": 90, "quarantine": 14, "data-subject-request": 120}';

/** Days raw mail is kept: `default` for every topic without a setting of its own. */
export const retentionSchema = z
  .object(
    { default: days, ...topicDays },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? `expected days per topic and a default, e.g. ${EXAMPLE}` : undefined,
    },
  )
  .strict()
  .superRefine((retention, ctx) => {
    if (retentionDaysOf(retention, 'data-subject-request') < MIN_DATA_SUBJECT_REQUEST_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['data-subject-request'],
        message: `must be at least ${MIN_DATA_SUBJECT_REQUEST_DAYS} days (the default applies when unset): a data-subject request's mail is kept past its extended due date, three months after receipt (GDPR Art. 12(3)), plus a margin`,
      });
    }
  });

export type Retention = z.infer<typeof retentionSchema>;

export function retentionDaysOf(retention: Retention, topic: Topic): number {
  return retention[topic] ?? retention.default;
}

/** What mail no topic was recorded for is kept: as long as any topic's, so nothing goes early. */
export function longestRetentionDays(retention: Retention): number {
  return Math.max(retention.default, ...TOPICS.map((topic) => retentionDaysOf(retention, topic)));
}
