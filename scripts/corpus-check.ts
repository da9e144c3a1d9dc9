// Triages every .eml in a directory (default ../shared/corpus) and checks the promises
// the core makes about any input: it never throws, every record is complete and valid
// against the published schema, fits a queue message, and no CPR number survives in any
// string of the record (addresses and storage ids, which are kept exactly, included).
// Prints a summary; exits 1 on the first broken promise, 2 when there is nothing to read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findCprNumbers } from '../functions/core/cpr.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { triageRecordSchema } from '../functions/core/queue-messages.js';
import { jsonBytes, MAX_RECORD_BYTES } from '../functions/core/record-limits.js';
import { triage } from '../functions/core/triage.js';
import { TOPICS } from '../functions/core/types.js';
import { corpusFiles } from './corpus-files.js';

const dir = process.argv[2] ?? '../shared/corpus';
const files = await corpusFiles(dir, 'corpus-check');

/** JSON paths of the strings in a record that still hold a CPR number. */
function cprPaths(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return findCprNumbers(value).length > 0 ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => cprPaths(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, field]) => cprPaths(field, `${path}.${key}`));
  }
  return [];
}

const topics = new Map<string, number>();
const reasons = new Map<string, number>();
let withParseErrors = 0;
for (const name of files) {
  const raw = await readFile(join(dir, name));
  const { record } = await triage(
    raw,
    { sesMessageId: name, receivedAt: new Date('2026-11-25T10:00:00Z') },
    DEFAULT_CONFIG,
  );
  const broken =
    (!triageRecordSchema.safeParse(record).success && 'record does not match the TriageRecord schema') ||
    (jsonBytes(record) > MAX_RECORD_BYTES && 'record larger than a queue message may be') ||
    (!TOPICS.includes(record.topic) && 'unknown topic') ||
    // Paths only: the value is personal data and stays out of the output.
    (cprPaths(JSON.parse(JSON.stringify(record))).map((path) => `CPR number in ${path}`)[0] ?? false) ||
    (record.textPreview.length > DEFAULT_CONFIG.limits.previewChars && 'preview too long') ||
    (record.autoReply.decision === 'send' && record.autoReply.template === null && 'send without template');
  if (broken) {
    console.error(`corpus-check: ${name}: ${broken}`);
    process.exit(1);
  }
  topics.set(record.topic, (topics.get(record.topic) ?? 0) + 1);
  reasons.set(record.autoReply.reason, (reasons.get(record.autoReply.reason) ?? 0) + 1);
  if (record.parseErrors.length > 0) withParseErrors++;
}
console.log(`corpus-check: ${files.length} mails triaged, ${withParseErrors} with parse errors`);
console.log(`  topics: ${JSON.stringify(Object.fromEntries(topics))}`);
console.log(`  reply reasons: ${JSON.stringify(Object.fromEntries(reasons))}`);
