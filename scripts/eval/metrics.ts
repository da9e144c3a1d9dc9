import { type GdprRight, TOPICS, type Topic } from '../../functions/core/types.js';
import type { EvalCase, ReplyExpectation } from './manifest.js';

// The routing-quality figures of `npm run eval`, as pure functions of (case, outcome)
// pairs, so they can be tested without mail and computed the same way everywhere.

/** What triage did with one case's mail: only ids and labels, never mail content. */
export interface Outcome {
  topic: Topic;
  /** The GDPR right on the record (`gdpr.right`), or null. */
  right: GdprRight | null;
  /** `autoReply.template` when the decision is `send`, else `none`. */
  reply: ReplyExpectation;
  matchedRule: string;
  /** The record's evidence ids, when the record carries them. */
  signals: string[] | null;
  /** The record's confidence in its topic, when the record carries it. */
  confidence: 'high' | 'low' | null;
}

export interface Observation {
  case: EvalCase;
  outcome: Outcome;
}

/** A share with its counts; `value` is null when there is nothing to measure. */
export interface Ratio {
  hits: number;
  of: number;
  value: number | null;
}

export interface TopicFigures {
  /** Cases labelled with the topic. */
  expected: number;
  /** Cases triage routed to the topic. */
  routed: number;
  /** Cases labelled with the topic and routed to it. */
  correct: number;
  precision: number | null;
  recall: number | null;
}

export interface Miss {
  id: string;
  /** What differs: the topic, the GDPR right, the reply. */
  what: Array<'topic' | 'right' | 'reply'>;
  expected: { topic: Topic; right: GdprRight | null; reply: ReplyExpectation };
  actual: { topic: Topic; right: GdprRight | null; reply: ReplyExpectation };
  matchedRule: string;
  signals: string[] | null;
}

export interface EvalMetrics {
  cases: number;
  topics: Record<Topic, TopicFigures>;
  /** confusion[expected][actual] = cases. */
  confusion: Record<Topic, Record<Topic, number>>;
  /** Among cases labelled data-subject-request with a right: the record names that right. */
  rightAccuracy: Ratio;
  /** Fraud-SMS recall on reports with and without a fraud phrase in the subject. */
  fraudRecallWithSubjectPhrase: Ratio;
  fraudRecallWithoutSubjectPhrase: Ratio;
  /** Hard negatives that would get the acknowledgement with a GDPR deadline. */
  hardNegativeDeadlineAcks: { count: number; of: number; ids: string[] };
  /** Machine mail (auto-replies, lists, bounces) routed to fraud-sms or data-subject-request. */
  machineInFraudOrRequest: { count: number; of: number; ids: string[] };
  /** The expected reply (template or none) is the one triage decided. */
  replyAccuracy: Ratio;
  /** Records routed to data-subject-request with `confidence: low` (the review lane). */
  lowConfidenceRequests: number;
  tagCounts: Record<string, number>;
  misses: Miss[];
}

export const REQUEST: Topic = 'data-subject-request';

export function ratio(hits: number, of: number): Ratio {
  return { hits, of, value: of === 0 ? null : hits / of };
}

export function computeMetrics(observations: readonly Observation[]): EvalMetrics {
  const confusion = Object.fromEntries(
    TOPICS.map((expected) => [expected, Object.fromEntries(TOPICS.map((actual) => [actual, 0]))]),
  ) as Record<Topic, Record<Topic, number>>;
  for (const { case: c, outcome } of observations) confusion[c.topic][outcome.topic]++;

  const topics = Object.fromEntries(
    TOPICS.map((topic) => {
      const expected = TOPICS.reduce((sum, actual) => sum + confusion[topic][actual], 0);
      const routed = TOPICS.reduce((sum, labelled) => sum + confusion[labelled][topic], 0);
      const correct = confusion[topic][topic];
      return [
        topic,
        {
          expected,
          routed,
          correct,
          precision: ratio(correct, routed).value,
          recall: ratio(correct, expected).value,
        },
      ];
    }),
  ) as Record<Topic, TopicFigures>;

  const withRight = observations.filter((o) => o.case.topic === REQUEST && o.case.right !== null);
  const fraud = (tag: string) => observations.filter((o) => o.case.topic === 'fraud-sms' && hasTag(o, tag));
  const fraudRecall = (tag: string) => {
    const reports = fraud(tag);
    return ratio(reports.filter((o) => o.outcome.topic === 'fraud-sms').length, reports.length);
  };

  const hardNegatives = observations.filter((o) => hasTag(o, 'hard-negative'));
  const deadlineAcks = hardNegatives.filter((o) => o.outcome.reply === 'data-subject-request');
  const machine = observations.filter((o) => hasTag(o, 'machine'));
  const machineMisrouted = machine.filter(
    (o) => o.outcome.topic === 'fraud-sms' || o.outcome.topic === REQUEST,
  );

  const tagCounts: Record<string, number> = {};
  for (const { case: c } of observations)
    for (const tag of c.tags) tagCounts[tag] = (tagCounts[tag] ?? 0) + 1;

  return {
    cases: observations.length,
    topics,
    confusion,
    rightAccuracy: ratio(withRight.filter((o) => o.outcome.right === o.case.right).length, withRight.length),
    fraudRecallWithSubjectPhrase: fraudRecall('with-subject-phrase'),
    fraudRecallWithoutSubjectPhrase: fraudRecall('without-subject-phrase'),
    hardNegativeDeadlineAcks: {
      count: deadlineAcks.length,
      of: hardNegatives.length,
      ids: deadlineAcks.map((o) => o.case.id),
    },
    machineInFraudOrRequest: {
      count: machineMisrouted.length,
      of: machine.length,
      ids: machineMisrouted.map((o) => o.case.id),
    },
    replyAccuracy: ratio(
      observations.filter((o) => o.outcome.reply === o.case.reply).length,
      observations.length,
    ),
    lowConfidenceRequests: observations.filter(
      (o) => o.outcome.topic === REQUEST && o.outcome.confidence === 'low',
    ).length,
    tagCounts,
    misses: observations.flatMap((o) => missOf(o) ?? []),
  };
}

function hasTag(observation: Observation, tag: string): boolean {
  return observation.case.tags.includes(tag);
}

function missOf({ case: c, outcome }: Observation): Miss | null {
  const what: Miss['what'] = [];
  if (outcome.topic !== c.topic) what.push('topic');
  // The right is judged only where the label names one: a request routed elsewhere is a topic miss.
  if (c.right !== null && outcome.right !== c.right) what.push('right');
  if (outcome.reply !== c.reply) what.push('reply');
  if (what.length === 0) return null;
  return {
    id: c.id,
    what,
    expected: { topic: c.topic, right: c.right, reply: c.reply },
    actual: { topic: outcome.topic, right: outcome.right, reply: outcome.reply },
    matchedRule: outcome.matchedRule,
    signals: outcome.signals,
  };
}

/** The figures that thresholds and targets name, by stable id; null when not measurable. */
export function figuresOf(metrics: EvalMetrics): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const topic of TOPICS) {
    figures[`${topic}.precision`] = metrics.topics[topic].precision;
    figures[`${topic}.recall`] = metrics.topics[topic].recall;
  }
  figures['fraud-sms.recall.with-subject-phrase'] = metrics.fraudRecallWithSubjectPhrase.value;
  figures['fraud-sms.recall.without-subject-phrase'] = metrics.fraudRecallWithoutSubjectPhrase.value;
  figures['data-subject-request.right-accuracy'] = metrics.rightAccuracy.value;
  figures['reply.accuracy'] = metrics.replyAccuracy.value;
  figures['hard-negative.deadline-acks'] = metrics.hardNegativeDeadlineAcks.count;
  figures['machine.fraud-or-request'] = metrics.machineInFraudOrRequest.count;
  return figures;
}
