// Triages every .eml in a directory (default ../shared/corpus) and checks the promises
// the core makes about any input: it never throws, every record is complete, no CPR
// number survives in any string of the record (addresses and storage ids, which are kept
// exactly, included). Prints a summary; exits 1 on the first broken promise.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findCprNumbers } from '../functions/core/cpr.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { triage } from '../functions/core/triage.js';
import { TOPICS } from '../functions/core/types.js';

const dir = process.argv[2] ?? '../shared/corpus';
const files = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
if (files.length === 0) {
  console.error(`corpus-check: no .eml files in ${dir}`);
  process.exit(1);
}

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
