import * as z from 'zod';
import { triageRecordSchema } from './queue-messages.js';
import { SCHEMA_VERSION } from './types.js';

// The TriageRecord as JSON Schema: the contract for the owners' systems that read the
// topic queues. Generated from the zod schema, the one definition; `npm run schema` writes
// it to schemas/, and a test fails when the file is not what the schema generates.

export const TRIAGE_RECORD_SCHEMA_FILE = `schemas/triage-record.v${SCHEMA_VERSION}.schema.json`;

export function triageRecordJsonSchema(): string {
  const { $schema, ...generated } = z.toJSONSchema(triageRecordSchema, { target: 'draft-2020-12' });
  const schema = {
    $schema,
    $id: `https://github.com/ssi/mail-triage/${TRIAGE_RECORD_SCHEMA_FILE}`,
    title: `TriageRecord, schema version ${SCHEMA_VERSION}`,
    description:
      'One JSON message per mail on each topic queue of the SSI data-protection mailbox triage. Generated from functions/core/queue-messages.ts; do not edit by hand.',
    ...generated,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
