import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../../scripts/eval/manifest.js';
import { computeMetrics, figuresOf, type Observation, type Outcome } from '../../scripts/eval/metrics.js';
import { renderReport } from '../../scripts/eval/report.js';
import { shortfalls, type Thresholds, thresholdsAt } from '../../scripts/eval/thresholds.js';

let counter = 0;
function observe(label: Partial<EvalCase>, outcome: Partial<Outcome>): Observation {
  counter++;
  const c: EvalCase = {
    id: label.id ?? `case-${counter}`,
    file: `mail/x/case-${counter}.eml`,
    topic: 'general',
    right: null,
    reply: 'general',
    tags: [],
    source: 'test',
    ...label,
  };
  return {
    case: c,
    outcome: {
      topic: c.topic,
      right: c.right,
      reply: c.reply,
      matchedRule: 'rule',
      signals: null,
      confidence: null,
      ...outcome,
    },
  };
}

const fraud = (tags: string[], routed: Outcome['topic']) =>
  observe(
    { topic: 'fraud-sms', reply: 'fraud-sms', tags },
    { topic: routed, reply: routed === 'fraud-sms' ? 'fraud-sms' : 'general' },
  );

describe('routing-quality metrics', () => {
  it('counts precision and recall per topic from what was labelled and what was routed', () => {
    const m = computeMetrics([
      fraud([], 'fraud-sms'),
      fraud([], 'fraud-sms'),
      fraud([], 'general'),
      observe({ topic: 'general' }, { topic: 'fraud-sms' }),
      observe({ topic: 'general' }, { topic: 'general' }),
    ]);
    expect(m.topics['fraud-sms']).toEqual({
      expected: 3,
      routed: 3,
      correct: 2,
      precision: 2 / 3,
      recall: 2 / 3,
    });
    expect(m.topics.general).toEqual({ expected: 2, routed: 2, correct: 1, precision: 0.5, recall: 0.5 });
    expect(m.confusion['fraud-sms'].general).toBe(1);
    expect(m.confusion.general['fraud-sms']).toBe(1);
    expect(m.confusion.general.general).toBe(1);
  });

  it('reports no precision or recall for a topic with nothing labelled or routed', () => {
    const m = computeMetrics([observe({ topic: 'general' }, {})]);
    expect(m.topics.quarantine.precision).toBeNull();
    expect(m.topics.quarantine.recall).toBeNull();
    expect(figuresOf(m)['quarantine.precision']).toBeNull();
  });

  it('slices fraud-SMS recall by whether the subject carries a fraud phrase', () => {
    const m = computeMetrics([
      fraud(['with-subject-phrase'], 'fraud-sms'),
      fraud(['with-subject-phrase'], 'fraud-sms'),
      fraud(['without-subject-phrase'], 'fraud-sms'),
      fraud(['without-subject-phrase'], 'general'),
      fraud(['without-subject-phrase'], 'general'),
      fraud(['without-subject-phrase'], 'partner'),
    ]);
    expect(m.fraudRecallWithSubjectPhrase).toEqual({ hits: 2, of: 2, value: 1 });
    expect(m.fraudRecallWithoutSubjectPhrase).toEqual({ hits: 1, of: 4, value: 0.25 });
  });

  it('counts the hard negatives that would get the acknowledgement with a GDPR deadline', () => {
    const m = computeMetrics([
      observe(
        { id: 'journalist', tags: ['hard-negative'] },
        { topic: 'data-subject-request', reply: 'data-subject-request' },
      ),
      observe({ tags: ['hard-negative'] }, { topic: 'data-subject-request', reply: 'general' }),
      observe({ tags: ['hard-negative'] }, { topic: 'fraud-sms', reply: 'fraud-sms' }),
      observe({ topic: 'data-subject-request', right: 'access', reply: 'data-subject-request' }, {}),
    ]);
    expect(m.hardNegativeDeadlineAcks).toEqual({ count: 1, of: 3, ids: ['journalist'] });
  });

  it('counts machine mail routed to fraud-sms or data-subject-request', () => {
    const m = computeMetrics([
      observe({ id: 'ooo', tags: ['machine'], reply: 'none' }, { topic: 'fraud-sms' }),
      observe({ id: 'list', tags: ['machine'], reply: 'none' }, { topic: 'data-subject-request' }),
      observe({ tags: ['machine'], reply: 'none' }, { topic: 'general' }),
      observe({ tags: [] }, { topic: 'fraud-sms' }),
    ]);
    expect(m.machineInFraudOrRequest).toEqual({ count: 2, of: 3, ids: ['ooo', 'list'] });
  });

  it('judges the reply by template, and "none" when no reply is sent', () => {
    const m = computeMetrics([
      observe({ reply: 'none' }, { reply: 'none' }),
      observe({ reply: 'none' }, { reply: 'general' }),
      observe({ reply: 'general' }, { reply: 'general' }),
      observe({ reply: 'data-subject-request' }, { reply: 'general' }),
    ]);
    expect(m.replyAccuracy).toEqual({ hits: 2, of: 4, value: 0.5 });
  });

  it('judges the named right only on requests labelled with one', () => {
    const request = { topic: 'data-subject-request' as const, reply: 'data-subject-request' as const };
    const m = computeMetrics([
      observe({ ...request, right: 'erasure' }, { right: 'erasure' }),
      observe({ ...request, right: 'erasure' }, { right: 'access' }),
      observe({ ...request, right: 'access' }, { topic: 'general', right: null }),
      observe({ topic: 'general' }, { right: 'access' }),
    ]);
    expect(m.rightAccuracy).toEqual({ hits: 1, of: 3, value: 1 / 3 });
  });

  it('counts the requests routed for review with low confidence', () => {
    const m = computeMetrics([
      observe(
        { topic: 'data-subject-request', right: 'access', reply: 'general', confidence: 'low' },
        { confidence: 'low' },
      ),
      observe(
        { topic: 'data-subject-request', right: 'access', reply: 'data-subject-request' },
        { confidence: 'high' },
      ),
      observe({ topic: 'general' }, { confidence: 'low' }),
    ]);
    expect(m.lowConfidenceRequests).toBe(1);
  });

  it('lists each miss with what differs, the rule that decided and the signals', () => {
    const m = computeMetrics([
      observe({}, {}),
      observe(
        { id: 'screenshot', topic: 'fraud-sms', reply: 'fraud-sms' },
        { topic: 'general', reply: 'general', matchedRule: 'general', signals: ['image-attachment'] },
      ),
      observe({ id: 'softfail', reply: 'none' }, { reply: 'general' }),
    ]);
    expect(m.misses).toEqual([
      {
        id: 'screenshot',
        what: ['topic', 'reply'],
        expected: { topic: 'fraud-sms', right: null, reply: 'fraud-sms' },
        actual: { topic: 'general', right: null, reply: 'general' },
        matchedRule: 'general',
        signals: ['image-attachment'],
      },
      expect.objectContaining({ id: 'softfail', what: ['reply'], signals: null }),
    ]);
  });
});

describe('thresholds', () => {
  const bounds: Thresholds = {
    minimum: { 'fraud-sms.precision': 0.9, 'data-subject-request.recall': 0.9 },
    maximum: { 'hard-negative.deadline-acks': 0 },
    targets: { minimum: {}, maximum: {} },
  };

  it('reports shares below their minimum and counts above their maximum', () => {
    const missed = shortfalls(
      { 'fraud-sms.precision': 0.89, 'data-subject-request.recall': 0.9, 'hard-negative.deadline-acks': 2 },
      bounds,
    );
    expect(missed).toEqual([
      { figure: 'fraud-sms.precision', value: 0.89, bound: 0.9, kind: 'minimum' },
      { figure: 'hard-negative.deadline-acks', value: 2, bound: 0, kind: 'maximum' },
    ]);
  });

  it('fails a bounded figure that can no longer be measured', () => {
    const missed = shortfalls(
      { 'fraud-sms.precision': 1, 'data-subject-request.recall': null, 'hard-negative.deadline-acks': 0 },
      bounds,
    );
    expect(missed).toEqual([
      { figure: 'data-subject-request.recall', value: null, bound: 0.9, kind: 'minimum' },
    ]);
  });

  it('passes when every bounded figure is met and ignores figures without bounds', () => {
    expect(
      shortfalls(
        {
          'fraud-sms.precision': 0.9,
          'data-subject-request.recall': 1,
          'hard-negative.deadline-acks': 0,
          'general.recall': 0,
        },
        bounds,
      ),
    ).toEqual([]);
  });

  it('sets thresholds at today’s figures: shares rounded down to two decimals, counts as they are', () => {
    expect(
      thresholdsAt({
        'fraud-sms.precision': 21 / 36,
        'fraud-sms.recall': 19 / 20,
        'general.recall': 0.999,
        'data-subject-request.recall': null,
        'machine.fraud-or-request': 3,
      }),
    ).toEqual({
      minimum: { 'fraud-sms.precision': 0.58, 'fraud-sms.recall': 0.95, 'general.recall': 0.99 },
      maximum: { 'machine.fraud-or-request': 3 },
    });
  });
});

describe('the evaluation report', () => {
  it('shows thresholds beside targets, names a figure below its threshold and lists misses by case id', () => {
    const m = computeMetrics([
      fraud(['without-subject-phrase'], 'general'),
      observe(
        { id: 'fraud-report-screenshot', topic: 'fraud-sms', reply: 'fraud-sms' },
        { topic: 'general', reply: 'general' },
      ),
    ]);
    const thresholds: Thresholds = {
      minimum: { 'fraud-sms.recall.without-subject-phrase': 0.5 },
      maximum: {},
      targets: { minimum: { 'fraud-sms.recall.without-subject-phrase': 0.9 }, maximum: {} },
    };
    const markdown = renderReport(m, thresholds, shortfalls(figuresOf(m), thresholds), {
      command: 'npm run eval',
      manifests: [{ name: 'cases-test.json', cases: 2 }],
    });
    expect(markdown).toContain(
      '| fraud-sms recall, no subject phrase | 0.00 (0/1) | ≥ 0.50 | ≥ 0.90 | below threshold |',
    );
    expect(markdown).toContain('Below threshold: `fraud-sms.recall.without-subject-phrase` 0.00 (≥ 0.50).');
    expect(markdown).toMatch(
      /^\| fraud-report-screenshot \| topic, reply \| fraud-sms \/ – \/ fraud-sms \|/m,
    );
    expect(markdown).toContain('`cases-test.json` 2');
  });
});
