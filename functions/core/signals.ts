import { GDPR_RIGHTS } from './types.js';

// The evidence a routing decision rests on, as stable ids on every TriageRecord
// (`signals`). Owners read them to see why a mail landed where it did; routing rules may
// name them (`when.signals`, `when.withoutSignals`); the evaluation reports them per miss.

const FIXED_SIGNALS = [
  // Fraud-SMS reports
  'subject-fraud-phrase',
  'body-fraud-phrase',
  'body-sms-mention',
  'body-pasted-sms',
  'body-link',
  'body-phone-number',
  'body-lure',
  'body-impersonation',
  'body-asks-if-genuine',
  'body-victim-clicked',
  'image-only-report',
  'email-not-sms',
  'fraud-campaign-warning',
  // Data-subject requests
  'gdpr-article-number',
  'request-wording',
  'own-data',
  'negated-right',
  'rights-listed-as-information',
  'question-about-rights',
  'thanks-or-follow-up',
  'processing-notice-letter',
  // Who writes, and for whom
  'sender-authority',
  'sender-company',
  'journalist-aktindsigt',
  'researcher-data-request',
  'third-party-request',
  'vendor-offer',
  // The mail as a whole
  'machine-mail',
  'reply-to-auto-reply',
  'encrypted',
] as const;

export const SIGNALS = [...FIXED_SIGNALS, ...GDPR_RIGHTS.map((right) => `right-phrase:${right}` as const)];
export type Signal = (typeof SIGNALS)[number];
