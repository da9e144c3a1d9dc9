import * as z from 'zod';
import type { TriageRecord } from './queue-messages.js';
import { CONFIDENCES, GDPR_RIGHTS } from './types.js';

// A GDPR case: one data-subject request and the deadlines the controller must keep
// (Art. 12(3)): answer by `dueOn`, or tell the data subject of an extension by
// `extensionNoticeBy` and answer by `extendedDueOn`. A case holds what deadlines need and
// nothing that identifies the person: no address, name, subject or text. The sender is
// known only by a salted hash, to link a later mail quoting the reference. Every change is
// appended to `history` (who, when, what), which is the register's audit trail.

export const CASE_STATUSES = ['open', 'extended', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['opened', 'linked', 'extended', 'closed'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Who changes a case from the system itself: intake opening and linking. */
export const SYSTEM_ACTOR = 'mail-triage';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const caseChangeSchema = z
  .object({
    at: z.iso.datetime(),
    by: z.string().min(1).max(128),
    what: z.enum(CASE_ACTIONS),
    /** The mail a `linked` (or `opened`) change is about. */
    sesMessageId: z.string().max(128).optional(),
    /** For `extended`: the due date before and after. */
    dueOn: z.object({ from: isoDate, to: isoDate }).strict().optional(),
  })
  .strict();
export type CaseChange = z.infer<typeof caseChangeSchema>;

/** A case as the register stores it; the schema checks every item read back. */
export const caseSchema = z
  .object({
    reference: z.string().regex(/^SSI-DB-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}$/),
    /** The mail that opened the case. */
    sesMessageId: z.string().min(1).max(128),
    right: z.enum(GDPR_RIGHTS),
    receivedOn: isoDate,
    /** The date the answer is due: the one-month date, or the extended one once extended. */
    dueOn: isoDate,
    extensionNoticeBy: isoDate,
    extendedDueOn: isoDate,
    /** `low`: routed for review; the request may be none. */
    confidence: z.enum(CONFIDENCES),
    status: z.enum(CASE_STATUSES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** The S3 key of the raw mail that opened the case (raw/<sesMessageId>). */
    rawMailKey: z.string().max(1024).nullable(),
    /** Salted SHA-256 of the sender's address (sender-hash.ts), null when the mail had none. */
    senderHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    history: z.array(caseChangeSchema),
    /** Optimistic locking: every write expects the version it read. */
    version: z.number().int().min(1),
    /** Epoch seconds when DynamoDB's TTL may delete a closed case; absent while open. */
    expiresAt: z.number().int().optional(),
  })
  .strict();
export type Case = z.infer<typeof caseSchema>;

/** A change a case refuses, with a reason an owner can act on. */
export class CaseRefused extends Error {
  override readonly name = 'CaseRefused';
  constructor(
    readonly reference: string,
    readonly reason: 'closed' | 'already-extended' | 'notice-date-passed',
    message: string,
  ) {
    super(message);
  }
}

/** The case a data-subject-request record opens, or null when the record has no GDPR facts. */
export function openCase(record: TriageRecord, senderHash: string | null, now: Date): Case | null {
  if (record.topic !== 'data-subject-request' || !record.gdpr) return null;
  const at = now.toISOString();
  return {
    reference: record.reference,
    sesMessageId: record.sesMessageId,
    right: record.gdpr.right,
    receivedOn: record.gdpr.receivedOn,
    dueOn: record.gdpr.dueOn,
    extensionNoticeBy: record.gdpr.extensionNoticeBy,
    extendedDueOn: record.gdpr.extendedDueOn,
    confidence: record.confidence,
    status: 'open',
    createdAt: at,
    updatedAt: at,
    rawMailKey: record.s3?.key ?? null,
    senderHash,
    history: [{ at, by: SYSTEM_ACTOR, what: 'opened', sesMessageId: record.sesMessageId }],
    version: 1,
  };
}

/** Whether a mail is already recorded on the case (a retry or replay of the same mail). */
export function hasMail(existing: Case, sesMessageId: string): boolean {
  return (
    existing.sesMessageId === sesMessageId ||
    existing.history.some((change) => change.what === 'linked' && change.sesMessageId === sesMessageId)
  );
}

/** The case with a later mail of the same sender linked to it; unchanged when already linked. */
export function linkMail(existing: Case, sesMessageId: string, now: Date): Case {
  if (hasMail(existing, sesMessageId)) return existing;
  return changed(existing, now, { by: SYSTEM_ACTOR, what: 'linked', sesMessageId });
}

/**
 * The case extended by two months (Art. 12(3)): allowed while it is open and the extension
 * notice date has not passed, since the data subject must be told within the first month.
 */
export function extendCase(existing: Case, today: string, by: string, now: Date): Case {
  const { reference } = existing;
  if (existing.status === 'closed') {
    throw new CaseRefused(reference, 'closed', `${reference} is closed; a closed case cannot be extended`);
  }
  if (existing.status === 'extended') {
    throw new CaseRefused(
      reference,
      'already-extended',
      `${reference} is already extended to ${existing.dueOn}; GDPR Art. 12(3) allows one extension of at most two months`,
    );
  }
  if (today > existing.extensionNoticeBy) {
    throw new CaseRefused(
      reference,
      'notice-date-passed',
      `${reference} cannot be extended: the data subject had to be told of an extension by ${existing.extensionNoticeBy} (GDPR Art. 12(3), within one month of receipt), and today is ${today}. Answer the request now.`,
    );
  }
  return {
    ...changed(existing, now, {
      by,
      what: 'extended',
      dueOn: { from: existing.dueOn, to: existing.extendedDueOn },
    }),
    status: 'extended',
    dueOn: existing.extendedDueOn,
  };
}

/** The case closed: answered, or found to be no request. It expires `keepClosedDays` later. */
export function closeCase(existing: Case, by: string, now: Date, keepClosedDays: number): Case {
  if (existing.status === 'closed') {
    throw new CaseRefused(existing.reference, 'closed', `${existing.reference} is already closed`);
  }
  return {
    ...changed(existing, now, { by, what: 'closed' }),
    status: 'closed',
    expiresAt: Math.floor(now.getTime() / 1000) + keepClosedDays * 86_400,
  };
}

function changed(existing: Case, now: Date, change: Omit<CaseChange, 'at'>): Case {
  const at = now.toISOString();
  return {
    ...existing,
    updatedAt: at,
    history: [...existing.history, { at, ...change }],
    version: existing.version + 1,
  };
}
