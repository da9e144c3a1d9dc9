import { openCase } from '../../functions/core/cases.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { caseSenderHash } from '../../functions/core/sender-hash.js';
import { triage } from '../../functions/core/triage.js';
import { fixture } from './fixtures.js';

export const TEST_SALT = 'unit-test-salt-0123456789';

/** A case opened, as intake opens it, from a real sample request received at `receivedAt`. */
export async function caseFrom(name: string, receivedAt: string, sesMessageId = `ses-${receivedAt}`) {
  const { record } = await triage(
    fixture(name),
    { sesMessageId, receivedAt: new Date(receivedAt), s3: { bucket: 'raw', key: `raw/${sesMessageId}` } },
    DEFAULT_CONFIG,
  );
  const sender = record.from?.address;
  const opened = openCase(record, sender ? caseSenderHash(sender, TEST_SALT) : null, new Date(receivedAt));
  if (!opened) throw new Error(`${name} opened no case`);
  return { record, opened };
}
