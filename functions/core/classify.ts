import type { RoutingRule } from './config.js';
import type { Authentication, Encryption, GdprRight, SenderKind, Topic } from './types.js';

/** What the routing rules look at, gathered once per mail. */
export interface ClassificationFacts {
  subject: string;
  text: string;
  authentication: Authentication;
  encryption: Encryption;
  senderKind: SenderKind;
  gdprRight: GdprRight | null;
  /** Made or sent by a machine: an auto-reply, a list or bulk mailing, a delivery report. */
  automated: boolean;
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
export function classifyTopic(
  facts: ClassificationFacts,
  rules: readonly RoutingRule[],
): { topic: Topic; matchedRule: string } {
  const subject = stripSubjectPrefixes(facts.subject);
  const text = facts.text.slice(0, TEXT_WINDOW).normalize('NFC').replace(/\s+/g, ' ');
  for (const rule of rules) {
    if (ruleMatches(rule, facts, subject, text)) return { topic: rule.topic, matchedRule: rule.id };
  }
  return { topic: 'general', matchedRule: 'fallback' };
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
  if (when.gdprRight !== undefined && (facts.gdprRight !== null) !== when.gdprRight) return false;
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
