import type { RoutingRule } from './config.js';
import type { Evidence } from './evidence.js';
import type { Authentication, Confidence, Encryption, SenderKind, Topic } from './types.js';

/** What the routing rules look at, gathered once per mail. */
export interface ClassificationFacts {
  subject: string;
  text: string;
  authentication: Authentication;
  encryption: Encryption;
  senderKind: SenderKind;
  /** Made or sent by a machine: an auto-reply, a list or bulk mailing, a delivery report. */
  automated: boolean;
  evidence: Evidence;
}

export interface Classification {
  topic: Topic;
  matchedRule: string;
  /** How sure the deciding rule is: a request or report on weak evidence is `low`. */
  confidence: Confidence;
}

// Reply/forward prefixes in Danish, English, German, Swedish and Outlook's variants, and
// bracketed tags that gateways add ("[EXTERN]"), possibly repeated: "SV: VS: [EXTERN] Fraud SMS".
const PREFIX =
  /^\s*(?:(?:re|sv|aw|antw|fw|fwd|vs|wg|tr|videresendt|videresend|forward|vb|ynt)\s*(?:\[\d{1,3}\]|\(\d{1,3}\))?\s*[:：]|\[[^\]\n]{1,40}\]|\([^)\n]{0,3}extern[^)\n]{0,8}\))\s*/i;

export function stripSubjectPrefixes(subject: string): string {
  let rest = subject.normalize('NFC');
  for (let i = 0; i < 20; i++) {
    const next = rest.replace(PREFIX, '');
    if (next === rest) break;
    rest = next;
  }
  return rest.trim();
}

/** The body is searched only near its start: the request is there, quoted history is not. */
const TEXT_WINDOW = 10_000;

/** First matching rule wins; the last default rule matches everything. */
export function classifyTopic(facts: ClassificationFacts, rules: readonly RoutingRule[]): Classification {
  const subject = stripSubjectPrefixes(facts.subject);
  const text = facts.text.slice(0, TEXT_WINDOW).normalize('NFC').replace(/\s+/g, ' ');
  for (const rule of rules) {
    if (ruleMatches(rule, facts, subject, text)) {
      return { topic: rule.topic, matchedRule: rule.id, confidence: ruleConfidence(rule, facts.evidence) };
    }
  }
  return { topic: 'general', matchedRule: 'fallback', confidence: 'high' };
}

/** A rule that rests on a judgement is as sure as that judgement; other rules are certain. */
function ruleConfidence(rule: RoutingRule, evidence: Evidence): Confidence {
  if (rule.when.gdprRight === true && evidence.request) return evidence.request.confidence;
  if (rule.when.fraudReport === true && evidence.fraudReport) return evidence.fraudReport;
  return 'high';
}

function ruleMatches(rule: RoutingRule, facts: ClassificationFacts, subject: string, text: string): boolean {
  const { when } = rule;
  if (when.verdictFail) {
    const failed = when.verdictFail.some((verdict) => facts.authentication[verdict] === 'FAIL');
    if (!failed) return false;
  }
  if (when.subject && !anyPattern(when.subject, subject)) return false;
  if (
    when.subjectOrText &&
    !anyPattern(when.subjectOrText, subject) &&
    !anyPattern(when.subjectOrText, text)
  ) {
    return false;
  }
  if (when.encrypted !== undefined && (facts.encryption !== 'none') !== when.encrypted) return false;
  if (when.gdprRight !== undefined && (facts.evidence.request !== null) !== when.gdprRight) return false;
  if (when.fraudReport !== undefined && (facts.evidence.fraudReport !== null) !== when.fraudReport)
    return false;
  if (when.signals && !when.signals.some((signal) => facts.evidence.signals.includes(signal))) {
    return false;
  }
  if (when.withoutSignals?.some((signal) => facts.evidence.signals.includes(signal))) return false;
  if (when.senderKind && !when.senderKind.includes(facts.senderKind)) return false;
  if (when.automated !== undefined && facts.automated !== when.automated) return false;
  return true;
}

const compiled = new Map<string, RegExp>();

function anyPattern(patterns: readonly string[], value: string): boolean {
  return patterns.some((source) => {
    let pattern = compiled.get(source);
    if (!pattern) {
      pattern = new RegExp(source, 'iu');
      compiled.set(source, pattern);
    }
    return pattern.test(value);
  });
}
