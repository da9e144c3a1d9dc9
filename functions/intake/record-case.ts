import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { findCaseReference } from '../core/case-reference.js';
import { linkMail, openCase } from '../core/cases.js';
import { CaseChanged, type CaseRegister } from '../core/ports.js';
import type { TriageRecord } from '../core/queue-messages.js';
import { caseSenderHash } from '../core/sender-hash.js';

/** The case register as intake uses it: where cases are kept, and the salt for sender hashes. */
export interface IntakeCases {
  register: CaseRegister;
  salt: () => Promise<string>;
}

/**
 * What intake did in the register: opened a case, found it opened by an earlier run of the
 * same mail, linked the mail to the case it quotes, or nothing. `collision`: another mail's
 * case has this reference (50 bits; about 1 in 2,000 among a million mails) — logged and
 * counted, and the mail is routed all the same.
 */
export type CaseOutcome = 'opened' | 'exists' | 'linked' | 'collision' | 'none';

/** Concurrent writers (another intake, an owner's CLI) are rare; a few re-reads settle them. */
const LINK_ATTEMPTS = 3;

/**
 * Records a mail in the case register. A mail quoting a case reference, from the sender
 * who opened that case (same salted hash), is linked to it; otherwise a data-subject
 * request opens a case of its own. Intake calls this once it knows the topic and before it
 * publishes anything: a failure here throws, the message returns to the queue, and nothing
 * has been routed yet, so the retry routes the mail once. Every write is idempotent per
 * SES message id, so the retry (or a replay) finds its own case and changes nothing.
 */
export async function recordCase(
  record: TriageRecord,
  cases: IntakeCases,
  deps: { logger: Logger; metrics: Metrics; now: () => Date },
): Promise<CaseOutcome> {
  if (record.topic === 'quarantine') return 'none';
  const sender = record.from?.address ?? null;
  let hash: string | null | undefined;
  const senderHash = async () => {
    if (hash === undefined) hash = sender ? caseSenderHash(sender, await cases.salt()) : null;
    return hash;
  };

  // The preview is the start of the text: where a reply's own words, and a quoted reference, are.
  const quoted = findCaseReference(`${record.subject}\n${record.textPreview}`);
  if (quoted && quoted !== record.reference && sender) {
    const linked = await linkToCase(quoted, await senderHash(), record, cases.register, deps.now);
    if (linked) {
      count(deps, 'CasesLinked');
      deps.logger.info('mail linked to case', { sesMessageId: record.sesMessageId, reference: quoted });
      return 'linked';
    }
  }

  const opened = openCase(record, await senderHash(), deps.now());
  if (!opened) return 'none';
  const outcome = await cases.register.open(opened);
  if (outcome === 'opened') count(deps, 'CasesOpened');
  if (outcome === 'collision') {
    count(deps, 'CaseReferenceCollision');
    deps.logger.error('case reference already taken by another mail; no case opened', {
      sesMessageId: record.sesMessageId,
      reference: record.reference,
    });
  } else {
    deps.logger.info(outcome === 'opened' ? 'case opened' : 'case already open', {
      sesMessageId: record.sesMessageId,
      reference: record.reference,
      confidence: record.confidence,
      dueOn: opened.dueOn,
    });
  }
  return outcome;
}

/** Links the mail when the quoted case exists and was opened by this sender; false otherwise. */
async function linkToCase(
  reference: string,
  senderHash: string | null,
  record: TriageRecord,
  register: CaseRegister,
  now: () => Date,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const existing = await register.get(reference);
    if (!existing || senderHash === null || existing.senderHash !== senderHash) return false;
    const linked = linkMail(existing, record.sesMessageId, now());
    if (linked === existing) return true;
    try {
      await register.save(linked);
      return true;
    } catch (error) {
      if (!(error instanceof CaseChanged) || attempt >= LINK_ATTEMPTS) throw error;
    }
  }
}

function count(deps: { metrics: Metrics }, name: string): void {
  deps.metrics.addMetric(name, MetricUnit.Count, 1);
}
