import { TOPICS } from '../../functions/core/types.js';
import type { EvalMetrics, Ratio } from './metrics.js';
import { figuresOf } from './metrics.js';
import { COUNT_FIGURES, type Shortfall, type Thresholds } from './thresholds.js';

// The evaluation as Markdown: printed by `npm run eval` and written to docs/EVALUATION.md.
// It names cases by id only; labels, rule ids and signal ids are no personal data.

export interface ReportContext {
  command: string;
  /** Each manifest's own figures: one author's cases, e.g. the held-out set. */
  manifests: Array<{ name: string; cases: number; metrics?: EvalMetrics }>;
}

interface Row {
  id: string;
  label: string;
  detail: string;
}

function share(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

function shareOf(r: Ratio): string {
  return `${share(r.value)} (${r.hits}/${r.of})`;
}

/** The headline figures, in the order the issue states its goals. */
function rows(m: EvalMetrics): Row[] {
  const topicRows = TOPICS.flatMap((topic) => {
    const t = m.topics[topic];
    return [
      {
        id: `${topic}.precision`,
        label: `${topic} precision`,
        detail: `${share(t.precision)} (${t.correct}/${t.routed})`,
      },
      {
        id: `${topic}.recall`,
        label: `${topic} recall`,
        detail: `${share(t.recall)} (${t.correct}/${t.expected})`,
      },
    ];
  });
  return [
    ...topicRows,
    {
      id: 'fraud-sms.recall.with-subject-phrase',
      label: 'fraud-sms recall, subject phrase',
      detail: shareOf(m.fraudRecallWithSubjectPhrase),
    },
    {
      id: 'fraud-sms.recall.without-subject-phrase',
      label: 'fraud-sms recall, no subject phrase',
      detail: shareOf(m.fraudRecallWithoutSubjectPhrase),
    },
    {
      id: 'data-subject-request.right-accuracy',
      label: 'right named correctly (requests)',
      detail: shareOf(m.rightAccuracy),
    },
    { id: 'reply.accuracy', label: 'reply as expected', detail: shareOf(m.replyAccuracy) },
    {
      id: 'hard-negative.deadline-acks',
      label: 'hard negatives given the deadline acknowledgement',
      detail: `${m.hardNegativeDeadlineAcks.count} of ${m.hardNegativeDeadlineAcks.of}`,
    },
    {
      id: 'machine.fraud-or-request',
      label: 'machine mail routed to fraud-sms or data-subject-request',
      detail: `${m.machineInFraudOrRequest.count} of ${m.machineInFraudOrRequest.of}`,
    },
  ];
}

function bound(thresholds: Thresholds['targets'], id: string): string {
  const min = thresholds.minimum[id];
  if (min !== undefined) return `≥ ${min.toFixed(2)}`;
  const max = thresholds.maximum[id];
  return max === undefined ? '' : `≤ ${max}`;
}

export function renderReport(
  m: EvalMetrics,
  thresholds: Thresholds,
  missed: readonly Shortfall[],
  context: ReportContext,
): string {
  const out: string[] = [];
  const figures = figuresOf(m);
  const failing = new Set(missed.map((s) => s.figure));
  out.push('# Routing quality', '');
  out.push(
    `Produced by \`${context.command}\` over the labelled evaluation set in \`test/corpus/\`; do not edit by hand.`,
    'Thresholds (`test/corpus/thresholds.json`) are what CI enforces; targets are what issue 10 asks for.',
    '',
  );

  out.push('## The set', '');
  out.push(
    `${m.cases} cases: ${context.manifests.map((x) => `\`${x.name}\` ${x.cases}`).join(', ')}.`,
    '',
    `By expected topic: ${TOPICS.map((t) => `${t} ${m.topics[t].expected}`).join(', ')}.`,
    '',
    `By tag: ${Object.entries(m.tagCounts)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([tag, count]) => `\`${tag}\` ${count}`)
      .join(', ')}.`,
    '',
  );

  out.push('## Summary', '');
  out.push('| figure | value | threshold | target | |', '|---|---|---|---|---|');
  for (const row of rows(m)) {
    const threshold = bound(thresholds, row.id);
    const target = bound(thresholds.targets, row.id);
    if (!threshold && !target && figures[row.id] === null) continue;
    const status = threshold ? (failing.has(row.id) ? 'below threshold' : 'ok') : '';
    out.push(`| ${row.label} | ${row.detail} | ${threshold} | ${target} | ${status} |`);
  }
  out.push(
    '',
    `Data-subject requests routed for review (\`confidence: low\`): ${m.lowConfidenceRequests}.`,
    '',
  );
  out.push(
    missed.length === 0
      ? 'Every threshold is met.'
      : `Below threshold: ${missed.map((s) => `\`${s.figure}\` ${s.value === null ? 'n/a' : formatFigure(s.figure, s.value)} (${s.kind === 'minimum' ? '≥' : '≤'} ${formatFigure(s.figure, s.bound)})`).join(', ')}.`,
    '',
  );

  const sliced = context.manifests.filter((x) => x.metrics);
  if (sliced.length > 0) {
    out.push(
      '## By manifest',
      '',
      'Each manifest was written by a different author; `cases-holdout.json` was written without reading the classifier or the other cases.',
      '',
      '| manifest | cases | topic right | request precision | request recall | fraud precision | fraud recall |',
      '|---|---|---|---|---|---|---|',
    );
    for (const { name, cases, metrics } of sliced) {
      if (!metrics) continue;
      const correct = TOPICS.reduce((sum, topic) => sum + metrics.topics[topic].correct, 0);
      const request = metrics.topics['data-subject-request'];
      const fraud = metrics.topics['fraud-sms'];
      out.push(
        `| \`${name}\` | ${cases} | ${correct} | ${share(request.precision)} | ${share(request.recall)} | ${share(fraud.precision)} | ${share(fraud.recall)} |`,
      );
    }
    out.push('');
  }

  out.push('## Topics', '');
  out.push('| topic | expected | routed | correct | precision | recall |', '|---|---|---|---|---|---|');
  for (const topic of TOPICS) {
    const t = m.topics[topic];
    out.push(
      `| ${topic} | ${t.expected} | ${t.routed} | ${t.correct} | ${share(t.precision)} | ${share(t.recall)} |`,
    );
  }
  out.push('');

  out.push('## Confusion matrix', '', 'Rows: the labelled topic; columns: the topic triage chose.', '');
  out.push(`| expected \\ actual | ${TOPICS.join(' | ')} |`, `|---|${TOPICS.map(() => '---').join('|')}|`);
  for (const expected of TOPICS) {
    out.push(`| ${expected} | ${TOPICS.map((actual) => m.confusion[expected][actual]).join(' | ')} |`);
  }
  out.push('');

  out.push('## Misses', '');
  if (m.misses.length === 0) out.push('None.');
  else {
    out.push(
      `${m.misses.length} cases differ from their labels in topic, right or reply.`,
      '',
      '| case | differs in | expected topic / right / reply | actual topic / right / reply | matched rule | signals |',
      '|---|---|---|---|---|---|',
    );
    for (const miss of m.misses) {
      const e = miss.expected;
      const a = miss.actual;
      out.push(
        `| ${miss.id} | ${miss.what.join(', ')} | ${e.topic} / ${e.right ?? '–'} / ${e.reply} | ${a.topic} / ${a.right ?? '–'} / ${a.reply} | ${miss.matchedRule} | ${miss.signals === null ? '' : miss.signals.join(', ')} |`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}

function formatFigure(figure: string, value: number): string {
  return COUNT_FIGURES.has(figure) ? String(value) : value.toFixed(2);
}
