import type { Readable } from 'node:stream';
import type { Case, CaseStatus } from './cases.js';
import { PermanentFailure } from './errors.js';
import type { ReplyJob } from './queue-messages.js';
import type { Topic } from './types.js';

// The core's view of the outside world. AWS adapters implement these in functions/adapters;
// tests and the local pipeline use the same adapters against emulators.

/** Where a stored mail is: an SES notification's bucket and key, a TriageRecord's `s3`. */
export interface MailLocation {
  bucket: string;
  key: string;
}

/**
 * Where SES stored the raw mail: one bucket and key prefix, which the store owns. Every
 * method throws ForeignObject for a location outside them, before any request is made,
 * and MailNotFound when there is no such object.
 */
export interface MailStore {
  /** A stream of the stored bytes. */
  open(location: MailLocation): Promise<Readable>;
  /** The stored size in bytes. */
  size(location: MailLocation): Promise<number>;
  /** Records the mail's topic on the stored object: the bucket keeps it for that topic's retention. */
  tagTopic(location: MailLocation, topic: Topic): Promise<void>;
}

export interface QueuePublisher {
  publish(queueUrl: string, body: unknown): Promise<void>;
}

export interface RawMailSender {
  /** Sends one raw MIME message; throws SendRejected when SES refuses it for good. */
  send(raw: Buffer, from: string, to: string[]): Promise<void>;
}

export type ClaimOutcome = 'claimed' | 'already-replied' | 'within-window';

/** Who was answered when, by salted hash: "one reply per sender per window" and the hourly cap. */
export interface ReplyLog {
  /** Claims the sender's reply slot for this mail; a retry of the same mail gets its own claim back. */
  claim(senderHash: string, sesMessageId: string, now: Date, windowDays: number): Promise<ClaimOutcome>;
  /**
   * Counts one reply in the current clock hour, for all senders or, given a domain's
   * salted hash, for that domain; false when the cap is reached.
   */
  countReply(now: Date, hourlyCap: number, domainHash?: string): Promise<boolean>;
  /** Gives back the hour's count when nothing was sent after all (SES refused or throttled, or another cap). */
  uncountReply(countedAt: Date, domainHash?: string): Promise<void>;
  /** Gives the slot back when nothing was sent (cap reached), so the sender can be answered later. */
  release(senderHash: string, sesMessageId: string): Promise<void>;
  markSent(senderHash: string, sesMessageId: string): Promise<void>;
  markRejected(senderHash: string, sesMessageId: string, code: string): Promise<void>;
}

/** The replies queue, as the auto-reply function sees it: where a reply waits for the caps. */
export interface ReplyQueue {
  /** Queues the job again, to be delivered after `delaySeconds` (at most 900, SQS's limit). */
  defer(job: ReplyJob, delaySeconds: number): Promise<void>;
}

export type OpenOutcome = 'opened' | 'exists' | 'collision';

/**
 * The GDPR case register, keyed by case reference. Writes are conditional, so a retried or
 * concurrent intake and an owner's CLI never overwrite each other's changes.
 */
export interface CaseRegister {
  /**
   * Stores a new case unless one has its reference: `exists` when that one was opened by
   * the same mail (a retry), `collision` when by another (two ids with one reference).
   */
  open(item: Case): Promise<OpenOutcome>;
  get(reference: string): Promise<Case | null>;
  list(status?: CaseStatus): Promise<Case[]>;
  /** Replaces the case if it is still at `item.version - 1`; else throws CaseChanged. */
  save(item: Case): Promise<void>;
}

/** Someone else changed the case since it was read: read it again and retry. */
export class CaseChanged extends Error {
  override readonly name = 'CaseChanged';
  constructor(readonly reference: string) {
    super(`${reference} was changed meanwhile; try again`);
  }
}

/** The stored mail named by a notification does not exist (expired, deleted, or never written). */
export class MailNotFound extends PermanentFailure {
  override readonly name = 'MailNotFound';
  constructor(readonly key: string) {
    super(`no stored mail at ${key}`);
  }
}

/**
 * A location outside the raw-mail bucket and prefix (another bucket, another prefix, a
 * `..` in the key): never read, whoever names it. Messages on our queues are inputs too.
 */
export class ForeignObject extends PermanentFailure {
  override readonly name = 'ForeignObject';
}

/** SES refused a message for good (bad address, rejected content): retrying will not help. */
export class SendRejected extends Error {
  override readonly name = 'SendRejected';
  constructor(readonly code: string) {
    super(`SES rejected the message (${code})`);
  }
}
