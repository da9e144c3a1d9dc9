import type { GdprRight, SenderKind, Topic } from '../core/types.js';
import { formatDate, formatShortDanishDate } from './dates.js';

// Every sentence a mailbox owner reads in a forward and its calendar file. Staff read
// Danish; labels carry English in brackets for colleagues who do not.

/** The topic's tag in the forward's subject, for inbox rules and a glance at the list. */
export const FORWARD_SUBJECT_TAGS: Record<Topic, string> = {
  'fraud-sms': 'Fraud SMS',
  'data-subject-request': 'GDPR-anmodning',
  'processing-notice': 'Behandlingsbrev',
  partner: 'Partner',
  general: 'Generel',
  quarantine: 'Karantæne',
};

/** The tag of a request routed for review (confidence low): the clock may be running. */
export const POSSIBLE_REQUEST_TAG = 'Mulig GDPR-anmodning';

export const NO_SUBJECT = '(intet emne / no subject)';

/**
 * `[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 4. jan. 2027] Anmodning om indsigt`:
 * the topic, the reference to file by and, for a request, the due date.
 */
export function forwardSubject(
  tag: string,
  reference: string,
  dueOn: string | null,
  subject: string,
): string {
  const due = dueOn ? ` · frist ${shortDate(dueOn)}` : '';
  return `[${tag} ${reference}${due}] ${subject || NO_SUBJECT}`;
}

export const TOPIC_NAMES: Record<Topic, string> = {
  'fraud-sms': 'Svindel-SMS (fraud SMS)',
  'data-subject-request': 'GDPR-anmodning (data subject request)',
  'processing-notice': 'Spørgsmål til brev om behandling af personoplysninger (processing notice)',
  partner: 'Myndighed eller virksomhed (partner)',
  general: 'Generel henvendelse (general)',
  quarantine: 'Karantæne: spam eller virus (quarantine)',
};

export const SENDER_KIND_NAMES: Record<SenderKind, string> = {
  citizen: 'borger (citizen)',
  authority: 'myndighed (authority)',
  company: 'virksomhed (company)',
  unknown: 'ukendt (unknown)',
};

export const RIGHT_NAMES: Record<GdprRight, string> = {
  access: 'indsigt (access)',
  rectification: 'berigtigelse (rectification)',
  erasure: 'sletning (erasure)',
  restriction: 'begrænsning af behandling (restriction)',
  portability: 'dataportabilitet (portability)',
  objection: 'indsigelse (objection)',
};

export const FORWARD_LABELS = {
  reference: 'Reference',
  howToAnswer: 'Svar (how to answer)',
  topic: 'Emne (topic)',
  rule: 'Regel (matched rule)',
  signals: 'Signaler (signals)',
  sender: 'Afsender (sender)',
  senderKind: 'Afsendertype (sender kind)',
  authentication: 'Autentificering (authentication)',
  encryption: 'Kryptering (encryption)',
  receivedAt: 'Modtaget (received at)',
  right: 'GDPR-rettighed (right)',
  receivedOn: 'Modtaget den (received on)',
  dueOn: 'Svarfrist (due on)',
  extendedDueOn: 'Forlænget frist (extended due on)',
  extensionNoticeBy: 'Besked om forlængelse senest (extension notice by)',
  calendar: 'Kalender (calendar)',
  autoReply: 'Auto-svar (auto-reply)',
  sesMessageId: 'SES message id',
  original: 'Original',
} as const;

export const FORWARD_TEXT = {
  heading: 'Videresendt af mail-triage (forwarded by mail triage)',
  // The review lane: the citizen got the general reply, no deadline was promised.
  reviewCheck: '?? Tjek: mulig GDPR-anmodning — afgør om fristen gælder (check: possible GDPR request)',
  cprWarning: (count: number) =>
    `!! Indeholder CPR-nummer — behandl fortroligt (contains a CPR number: ${count})`,
  noSender: '(ingen / none)',
  confidence: (rule: string, confidence: string) => `${rule}, sikkerhed (confidence) ${confidence}`,
  signed: 'signeret (signed)',
  fraudHeading: 'Svindel-SMS (fraud SMS), gjort ufarlige (defanged):',
  url: 'URL',
  phone: 'Telefon (phone)',
  attachmentsHeading: 'Vedhæftede filer i originalen (attachments):',
  unnamedAttachment: '(uden navn / unnamed)',
  parseErrorsHeading: 'Fejl ved læsning (parse errors):',
  // SSI's policy: a citizen's personal data goes through Digital Post, never by e-mail, so
  // the forward carries no Reply-To for them and says how to answer instead.
  answerByDigitalPost: (reference: string) =>
    `med Digital Post, ikke på e-mail; oplys referencen ${reference}. Der er ingen Reply-To (answer through Digital Post, not by e-mail, quoting the reference; this forward has no Reply-To)`,
  answerByReply:
    'Svar-knappen går til afsenderen; send personoplysninger krypteret (Reply goes to the sender; encrypt any personal data)',
  calendarAttached: (filename: string) =>
    `${filename} med svarfrist, frist for besked om forlængelse og forlænget frist (due date, extension notice and extended due date)`,
  originalAttached: (filename: string) => `vedhæftet uændret som ${filename} (attached unmodified)`,
  originalInS3: (location: string) =>
    `for stor til at vedhæfte; ligger i ${location} (too large to attach; stored in S3)`,
  originalUnknown: 'ikke vedhæftet, og ingen placering kendt (not attached, location unknown)',
} as const;

/** A calendar date for staff: "2026-04-07 (7. april 2026)". */
export function isoAndDanishDate(isoDate: string): string {
  return `${isoDate} (${formatDate(isoDate, 'da')})`;
}

function shortDate(isoDate: string): string {
  try {
    return formatShortDanishDate(isoDate);
  } catch {
    // A malformed date is still worth showing; the forward must not fail over its wording.
    return isoDate;
  }
}

/** The deadlines in a request's calendar file. */
export type CalendarDeadline = 'due' | 'extensionNotice' | 'extendedDue';

const DEADLINE_NAMES: Record<CalendarDeadline, string> = {
  due: 'svarfrist',
  extensionNotice: 'frist for besked om forlængelse',
  extendedDue: 'forlænget svarfrist',
};

const RIGHT_SHORT: Record<GdprRight, string> = {
  access: 'indsigt',
  rectification: 'berigtigelse',
  erasure: 'sletning',
  restriction: 'begrænsning af behandling',
  portability: 'dataportabilitet',
  objection: 'indsigelse',
};

/**
 * A calendar entry's title: the reference, the deadline and the right, nothing about the
 * person (calendars are shared, synced to phones and shown on lock screens).
 * `SSI-DB-2026-4K7QM-2XP9C · svarfrist · indsigt (art. 15)`, and "mulig" for a request in review.
 */
export function calendarSummary(
  reference: string,
  deadline: CalendarDeadline,
  right: GdprRight,
  article: number,
  possible: boolean,
): string {
  const what = `${possible ? 'mulig anmodning om ' : ''}${RIGHT_SHORT[right]} (art. ${article})`;
  return `${reference} · ${DEADLINE_NAMES[deadline]} · ${what}`;
}

export const CALENDAR_DESCRIPTIONS: Record<CalendarDeadline, string> = {
  due: 'Anmodningen besvares senest denne dag (GDPR art. 12, stk. 3). Sagen findes under referencen i titlen.',
  extensionNotice:
    'Skal fristen forlænges, får den registrerede besked med begrundelse senest denne dag (GDPR art. 12, stk. 3).',
  extendedDue: 'Seneste svardato, hvis fristen er forlænget med to måneder (GDPR art. 12, stk. 3).',
};
