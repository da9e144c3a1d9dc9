import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { composeDigest } from '../core/compose-digest.js';
import type { TriageConfig } from '../core/config.js';
import { localDate } from '../core/deadline.js';
import { buildDigest, caseCounts, isDigestDay } from '../core/digest.js';
import type { CaseRegister, RawMailSender } from '../core/ports.js';

export interface DigestDeps {
  config: TriageConfig;
  cases: Pick<CaseRegister, 'list'>;
  sender: RawMailSender;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

/** Why no digest went out, or that it did. */
export type DigestOutcome =
  | { sent: true; today: string; cases: number }
  | { sent: false; today: string; reason: 'closing-day' | 'no-owners' | 'nothing-due' };

/**
 * The morning run: measures the register (open and overdue cases, every run, so the
 * overdue alarm sees each morning), then, on a Danish working day, mails the
 * data-subject-request owners what is overdue or due soon. `force` sends on any day (the
 * local pipeline's `--digest-now`). The schedule fires Monday to Friday; a public holiday
 * or closing day on a weekday is skipped here, by the same calendar the deadlines use.
 */
export async function runDigest(deps: DigestDeps, options: { force?: boolean } = {}): Promise<DigestOutcome> {
  const { config, logger, metrics } = deps;
  const now = deps.now();
  const today = localDate(now, config.calendar.timeZone);
  const cases = await deps.cases.list();
  const counts = caseCounts(cases, today);
  metrics.addMetric('OpenCases', MetricUnit.Count, counts.open);
  metrics.addMetric('OverdueCases', MetricUnit.Count, counts.overdue);

  const skip = (reason: 'closing-day' | 'no-owners' | 'nothing-due'): DigestOutcome => {
    logger.info('no digest sent', { today, reason, ...counts });
    return { sent: false, today, reason };
  };
  if (!options.force && !isDigestDay(today, config.calendar.extraClosingDays)) return skip('closing-day');
  const owners = config.forward['data-subject-request'] ?? [];
  if (owners.length === 0) return skip('no-owners');
  const digest = buildDigest(cases, today, {
    dueSoonWorkingDays: config.cases.dueSoonWorkingDays,
    extraClosingDays: config.calendar.extraClosingDays,
  });
  if (!digest) return skip('nothing-due');

  const raw = await composeDigest(
    digest,
    { from: config.forwardFrom, to: owners, dueSoonWorkingDays: config.cases.dueSoonWorkingDays },
    now,
  );
  await deps.sender.send(raw, config.forwardFrom, owners);
  const listed = digest.overdue.length + digest.extensionNoticeDue.length + digest.dueSoon.length;
  metrics.addMetric('DigestSent', MetricUnit.Count, 1);
  logger.info('digest sent', {
    today,
    overdue: digest.overdue.length,
    extensionNoticeDue: digest.extensionNoticeDue.length,
    dueSoon: digest.dueSoon.length,
    owners: owners.length,
  });
  return { sent: true, today, cases: listed };
}
