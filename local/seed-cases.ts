import { caseReference } from '../functions/core/case-reference.js';
import { type Case, SYSTEM_ACTOR } from '../functions/core/cases.js';
import type { TriageConfig } from '../functions/core/config.js';
import { computeDeadlines } from '../functions/core/deadline.js';
import type { CaseRegister } from '../functions/core/ports.js';
import type { GdprRight } from '../functions/core/types.js';

// Cases at every stage of the clock, so a developer's `--digest-now` has something to say:
// the sample mails only open cases received today, due a month from now. They are written
// as intake writes cases, with invented SES ids and no sender (nothing to link to).

const DAY_MS = 86_400_000;

interface DemoCase {
  id: string;
  right: GdprRight;
  daysAgo: number;
  confidence: Case['confidence'];
  extended?: boolean;
}

const DEMO_CASES: DemoCase[] = [
  { id: 'demo-overdue', right: 'access', daysAgo: 40, confidence: 'high' },
  { id: 'demo-notice-due', right: 'erasure', daysAgo: 28, confidence: 'high' },
  { id: 'demo-review', right: 'access', daysAgo: 27, confidence: 'low' },
  { id: 'demo-extended', right: 'rectification', daysAgo: 88, confidence: 'high', extended: true },
];

/** Writes the demo cases (again: a second run finds them and changes nothing); returns their references. */
export async function seedDemoCases(
  register: CaseRegister,
  config: TriageConfig,
  now: Date,
): Promise<string[]> {
  const references: string[] = [];
  for (const demo of DEMO_CASES) {
    const receivedAt = new Date(now.getTime() - demo.daysAgo * DAY_MS);
    const dates = computeDeadlines(receivedAt, config.calendar);
    const sesMessageId = `${demo.id}-${dates.receivedOn}`;
    const reference = caseReference(sesMessageId, Number(dates.receivedOn.slice(0, 4)));
    const at = receivedAt.toISOString();
    const opened: Case = {
      reference,
      sesMessageId,
      right: demo.right,
      ...dates,
      confidence: demo.confidence,
      status: demo.extended ? 'extended' : 'open',
      dueOn: demo.extended ? dates.extendedDueOn : dates.dueOn,
      createdAt: at,
      updatedAt: at,
      rawMailKey: null,
      senderHash: null,
      history: [
        { at, by: SYSTEM_ACTOR, what: 'opened', sesMessageId },
        ...(demo.extended
          ? [
              {
                at,
                by: 'local-seed',
                what: 'extended' as const,
                dueOn: { from: dates.dueOn, to: dates.extendedDueOn },
              },
            ]
          : []),
      ],
      version: demo.extended ? 2 : 1,
    };
    await register.open(opened);
    references.push(reference);
  }
  return references;
}
