import type { ReplyJob, TriageRecord } from './queue-messages.js';

// A TriageRecord travels as one SQS message (topic queue, forwards queue). Its size must not
// depend on what a sender puts in a mail: a 600 KB mail with long subjects, or a thousand
// attachments with long names, gave 1.2 MB records, past the queue's limit, and intake
// retried the mail into its DLQ. So every list and string is capped, walking the record
// generically (a field added later is capped by the defaults), and a record still too
// large as JSON is replaced by a minimal one marked `truncated`, which keeps what an owner
// needs to find the raw mail (ids, S3 location, topic, reply decision, GDPR dates).

/** The most a record may take as JSON (UTF-8): SQS's classic message size, 256 KiB. */
export const MAX_RECORD_BYTES = 256 * 1024;

export interface Caps {
  /** Entries of a list not named in `lists`. */
  listEntries: number;
  /** Characters of a string not named in `strings`. */
  stringChars: number;
  /** Per field path (array indices left out: `attachments.filename`), the most entries. */
  lists: Readonly<Record<string, number>>;
  /** Per field path, the most characters; a list of strings is named by its own path. */
  strings: Readonly<Record<string, number>>;
}

/**
 * Chosen so that a record of capped ASCII text stays under MAX_RECORD_BYTES (about 200 KB
 * at worst); only text that JSON escapes or UTF-8 widens can still reach the fallback.
 */
export const RECORD_CAPS: Caps = {
  listEntries: 50,
  stringChars: 1_000,
  lists: { to: 50, cc: 50, attachments: 100, parseErrors: 50 },
  strings: {
    // RFC 5322 §2.1.1: a header line is at most 998 characters.
    subject: 998,
    headerMessageId: 998,
    // RFC 5321 §4.5.3.1: a path is at most 256 octets; some slack for what parsers keep.
    'from.address': 320,
    'from.name': 200,
    replyTo: 320,
    to: 320,
    cc: 320,
    'attachments.filename': 255,
    'attachments.contentType': 255,
    'attachments.sha256': 64,
    'fraud.phoneNumbers': 64,
    parseErrors: 200,
    // Bounded by configuration (limits.previewChars, at most 10,000) already.
    textPreview: 10_000,
    // An S3 key is at most 1,024 bytes: never cut what finds the raw mail.
    's3.key': 1_024,
  },
};

/** The fallback's caps: nothing a sender can grow beyond a few kilobytes. */
const MINIMAL_CAPS: Caps = {
  listEntries: 10,
  stringChars: 200,
  lists: { to: 0, cc: 0, attachments: 0 },
  strings: { textPreview: 0, 's3.key': 1_024 },
};

/** What a reply job may hold, within the auto-reply's own validation (functions/core/queue-messages.ts). */
export const REPLY_JOB_CAPS = {
  subjectChars: 998,
  /** RFC 5322 §3.6.4: a long References field may be cut to its first and latest ids. */
  references: 100,
  /** A cut Message-ID names nothing: a longer one is left out, not cut. */
  messageIdChars: 998,
} as const;

/** The record and reply job of one mail, bounded; see the file comment. */
export function boundTriageResult<R extends { record: TriageRecord; replyJob: ReplyJob | null }>(
  result: R,
): R {
  return {
    ...result,
    record: boundRecord(result.record),
    replyJob: result.replyJob && boundReplyJob(result.replyJob),
  };
}

/** Caps every list and string; falls back to a minimal record marked `truncated` when still too large. */
export function boundRecord(record: TriageRecord, maxBytes = MAX_RECORD_BYTES): TriageRecord {
  const capped = capRecord(record, RECORD_CAPS);
  const bytes = jsonBytes(capped);
  if (bytes <= maxBytes) return capped;

  const minimal = capRecord(record, MINIMAL_CAPS);
  const note = `record-truncated: ${bytes} bytes as JSON, over ${maxBytes}; the raw mail holds the rest`;
  return {
    ...minimal,
    parseErrors: [note, ...minimal.parseErrors.slice(0, MINIMAL_CAPS.listEntries - 1)],
    truncated: true,
  };
}

export function boundReplyJob(job: ReplyJob): ReplyJob {
  const ids = job.references.filter((id) => id.length <= REPLY_JOB_CAPS.messageIdChars);
  const keep = REPLY_JOB_CAPS.references;
  return {
    ...job,
    subject: cutString(job.subject, REPLY_JOB_CAPS.subjectChars),
    inReplyTo: job.inReplyTo && job.inReplyTo.length <= REPLY_JOB_CAPS.messageIdChars ? job.inReplyTo : null,
    // The thread's root and its latest ids are the ones a mail client threads by.
    references: ids.length <= keep ? ids : [...ids.slice(0, 1), ...ids.slice(ids.length - (keep - 1))],
  };
}

/** What was cut, one note per field path. */
type Notes = Map<string, string>;

function capRecord(record: TriageRecord, caps: Caps): TriageRecord {
  const { parseErrors, ...rest } = record;
  const notes: Notes = new Map();
  const bounded = capValue(rest, '', caps, notes) as Omit<TriageRecord, 'parseErrors'>;
  // The notes on what was cut are parse errors too, and the list of them is capped like any.
  const errors = [...parseErrors, ...notes.values()];
  const most = caps.lists.parseErrors ?? caps.listEntries;
  const kept =
    errors.length <= most
      ? errors
      : [...errors.slice(0, Math.max(0, most - 1)), `parse-errors-capped: ${errors.length - most + 1} more`];
  const limit = caps.strings.parseErrors ?? caps.stringChars;
  return { ...bounded, parseErrors: kept.slice(0, most).map((error) => cutString(error, limit)) };
}

function capValue(value: unknown, path: string, caps: Caps, notes: Notes): unknown {
  if (typeof value === 'string') {
    const most = caps.strings[path] ?? caps.stringChars;
    if (value.length > most && !notes.has(path)) notes.set(path, `field-cut: ${path} to ${most} characters`);
    return cutString(value, most);
  }
  if (Array.isArray(value)) {
    const most = caps.lists[path] ?? caps.listEntries;
    if (value.length > most) notes.set(`${path}[]`, `list-cut: ${path} kept ${most} of ${value.length}`);
    return value.slice(0, most).map((entry) => capValue(entry, path, caps, notes));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        capValue(entry, path ? `${path}.${key}` : key, caps, notes),
      ]),
    );
  }
  return value;
}

/** At most `limit` characters, an ellipsis marking a cut, never half a surrogate pair. */
export function cutString(value: string, limit: number): string {
  if (value.length <= limit) return value;
  if (limit <= 0) return '';
  let end = limit - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
