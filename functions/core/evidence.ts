import { splitBody } from './body-sections.js';
import { assessFraudReport, FRAUD_SUBJECT_PHRASE } from './fraud-evidence.js';
import { assessRequest } from './request-evidence.js';
import type { Signal } from './signals.js';
import { matches, vocabulary } from './text-patterns.js';
import type { AttachmentFact, Confidence, Encryption, FraudFacts, GdprRight, SenderKind } from './types.js';
import { assessWriterRole } from './writer-role.js';

// Everything the routing rules weigh, gathered once per mail: the signals, and the two
// judgements that need more than one signal (is it a fraud-SMS report, is it a GDPR
// request). Pure and deterministic; the record carries the signals so every decision
// can be explained.

export interface EvidenceInput {
  subject: string;
  /** Readable text (empty for encrypted mail). */
  text: string;
  attachments: AttachmentFact[];
  senderKind: SenderKind;
  encryption: Encryption;
  /** Made or sent by a machine (machine-mail.ts). */
  automated: boolean;
  inReplyTo: string | null;
  references: string[];
  /** Domains whose links are no lure: our own and the authorities'. */
  trustedDomains: readonly string[];
}

export interface Evidence {
  signals: Signal[];
  /**
   * The links and phone numbers of the report: from the writer's words and what they
   * forwarded, not from our own reply quoted back.
   */
  fraudFacts: FraudFacts;
  fraudReport: Confidence | null;
  request: { right: GdprRight; confidence: Confidence } | null;
}

/** How much of a body the evidence reads. */
const TEXT_WINDOW = 10_000;
const LETTER_GAP = "(?:[\\p{L}\\p{N}'.,-]+ ){0,6}";
// The letter SSI sends, by its title and by how citizens describe it.
const PROCESSING_NOTICE = vocabulary(
  'information om behandling af (?:dine |mine )?personoplysninger',
  'brev (?:[\\p{L}.-]+ ){0,4}om (?:behandling|brug) af (?:dine |mine |jeres )?(?:person)?oplysninger',
  'hvorfor (?:har|behandler|bruger) (?:i|ssi) (?:mine|min) (?:person)?(?:oplysninger|data)',
  'hvor har (?:i|ssi) (?:mine|min) (?:person)?(?:oplysninger|data) fra',
  'information (?:about|on) (?:the )?processing of (?:your |my )?personal data',
  'letter (?:[\\p{L}.-]+ ){0,4}about (?:the )?(?:processing|use) of (?:your |my )?personal data',
  'why do you (?:have|hold|process) my (?:personal )?(?:data|information)',
  `brev fra (?:jer|ssi|statens serum institut) ${LETTER_GAP}(?:behandling|personoplysninger|biobank|blodprøve|prøve|gemt|opbevar)`,
  `letter from (?:you|ssi|statens serum institut) ${LETTER_GAP}(?:processing|personal data|biobank|blood|sample|kept|stored)`,
);

// Our auto-reply's subject starts "Automatisk svar"; a person answering it writes "SV:"
// before that. Its Message-ID starts "auto-reply." (compose-reply.ts).
const REPLY_TO_AUTO_REPLY_SUBJECT =
  /^\s*(?:(?:re|sv|aw|antw)\s*[:：]\s*)+(?:automatisk svar|automatic reply|auto-?reply)/iu;
const OUR_AUTO_REPLY_ID = /<auto-reply\.[0-9a-f]+@/iu;

export function gatherEvidence(input: EvidenceInput): Evidence {
  const signals: Signal[] = [];
  if (input.automated) signals.push('machine-mail');
  if (input.encryption !== 'none') signals.push('encrypted');
  const replyToUs =
    REPLY_TO_AUTO_REPLY_SUBJECT.test(input.subject) ||
    [input.inReplyTo ?? '', ...input.references].some((id) => OUR_AUTO_REPLY_ID.test(id));
  if (replyToUs) signals.push('reply-to-auto-reply');

  // Requests and reports are made near the top; a long tail is quoted history or noise.
  const sections = splitBody(input.text.slice(0, TEXT_WINDOW), input.subject);
  const ownWords = [sections.own, sections.forwarded].filter(Boolean).join('\n');
  const role = assessWriterRole(`${input.subject}\n${ownWords}`, input.senderKind);
  signals.push(...role.signals);

  // Our own reply, quoted back, is full of fraud words and rights: only the writer's words count then.
  const reportText = replyToUs ? ownWords : input.text.slice(0, TEXT_WINDOW);
  const fraud = assessFraudReport({
    subject: replyToUs ? '' : input.subject,
    text: reportText,
    attachments: input.attachments,
    trustedDomains: input.trustedDomains,
    roleSignals: role.signals,
    followsFraudReport: replyToUs && FRAUD_SUBJECT_PHRASE.test(input.subject),
  });
  signals.push(...fraud.signals);
  if (matches(PROCESSING_NOTICE, `${input.subject}\n${input.text.slice(0, TEXT_WINDOW)}`)) {
    signals.push('processing-notice-letter');
  }

  // The subject of an answer to our reply is our own subject, not the writer's words.
  const assessed = assessRequest(
    replyToUs ? '' : input.subject,
    ownWords,
    role.notADataSubject || input.automated,
  );
  signals.push(...assessed.signals);

  // A weak request inside a fraud report ("it said I must update my details") is the lure's wording.
  const lureWording = assessed.confidence === 'low' && fraud.signals.includes('body-fraud-phrase');
  return {
    signals: [...new Set(signals)],
    fraudFacts: fraud.facts,
    fraudReport: input.automated ? null : fraud.report,
    request:
      assessed.right && assessed.confidence && !lureWording
        ? { right: assessed.right, confidence: assessed.confidence }
        : null,
  };
}
