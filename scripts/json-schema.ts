// `npm run schema`: writes the TriageRecord's JSON Schema (the owners' contract) from the
// zod schema. `--check` writes nothing and exits 1 when the file is out of date.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TRIAGE_RECORD_SCHEMA_FILE,
  triageRecordJsonSchema,
} from '../functions/core/triage-record-json-schema.js';

const file = join(fileURLToPath(new URL('..', import.meta.url)), TRIAGE_RECORD_SCHEMA_FILE);
const generated = triageRecordJsonSchema();
if (process.argv.includes('--check')) {
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current !== generated) {
    console.error(`schema: ${TRIAGE_RECORD_SCHEMA_FILE} is out of date; run npm run schema and commit it`);
    process.exit(1);
  }
  console.log(`schema: ${TRIAGE_RECORD_SCHEMA_FILE} is current`);
} else {
  await writeFile(file, generated);
  console.log(`schema: wrote ${TRIAGE_RECORD_SCHEMA_FILE}`);
}
