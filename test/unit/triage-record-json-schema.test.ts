import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { triage } from '../../functions/core/triage.js';
import {
  TRIAGE_RECORD_SCHEMA_FILE,
  triageRecordJsonSchema,
} from '../../functions/core/triage-record-json-schema.js';
import { fixture } from '../support/fixtures.js';

const published = readFileSync(join(import.meta.dirname, '..', '..', TRIAGE_RECORD_SCHEMA_FILE), 'utf8');

describe('the published TriageRecord JSON Schema', () => {
  it('is what the zod schema generates (run npm run schema after changing it)', () => {
    expect(published).toBe(triageRecordJsonSchema());
  });

  it('accepts the record of every sample mail, checked by an independent JSON Schema validator', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(published));
    const names = readdirSync(join(import.meta.dirname, '..', 'fixtures')).filter((n) => n.endsWith('.eml'));
    for (const name of names) {
      const { record } = await triage(
        fixture(name),
        { sesMessageId: name, receivedAt: new Date('2026-11-25T10:00:00Z') },
        DEFAULT_CONFIG,
      );
      expect(
        validate(JSON.parse(JSON.stringify(record))),
        `${name}: ${ajv.errorsText(validate.errors)}`,
      ).toBe(true);
    }
  });

  it('rejects a record that breaks the contract', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(published));
    expect(validate({ schemaVersion: 1, topic: 'spam' })).toBe(false);
  });
});
