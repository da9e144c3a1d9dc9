import MailComposer from 'nodemailer/lib/mail-composer';
import type { Digest, DigestLine } from './digest.js';
import { messageIdDomain, digest as stableId } from './outgoing-mail.js';
import { GDPR_ARTICLE, type GdprRight } from './types.js';

// The owners' morning digest as raw MIME: Danish first, English below, plain text. It
// names cases by reference only (no address, name, subject or text: the register holds
// none), so it can be read on any device. `Auto-Submitted: auto-generated` (RFC 3834 §5)
// keeps the owners' own auto-replies from answering it.

const RIGHTS_DA: Record<GdprRight, string> = {
  access: 'indsigt',
  rectification: 'berigtigelse',
  erasure: 'sletning',
  restriction: 'begrænsning',
  portability: 'dataportabilitet',
  objection: 'indsigelse',
};

interface Language {
  title: (today: string) => string;
  overdue: string;
  extensionNoticeDue: string;
  dueSoon: (window: number) => string;
  right: (right: GdprRight) => string;
  due: string;
  extended: string;
  noticeBy: string;
  daysLeft: (days: number) => string;
  confidence: (line: DigestLine) => string;
  howTo: string[];
}

const DA: Language = {
  title: (today) => `GDPR-frister ${today} (dansk tid)`,
  overdue: 'Overskredet',
  extensionNoticeDue: 'Besvar, eller meddel forlængelse senest på datoen',
  dueSoon: (window) => `Frist inden for ${window} arbejdsdage`,
  right: (right) => `${RIGHTS_DA[right]} (art. ${GDPR_ARTICLE[right]})`,
  due: 'frist',
  extended: '(forlænget)',
  noticeBy: 'forlængelse meddeles senest',
  daysLeft: (days) =>
    days < 0
      ? `${-days} arbejdsdag${days === -1 ? '' : 'e'} over fristen`
      : days === 0
        ? 'frist i dag'
        : `${days} arbejdsdag${days === 1 ? '' : 'e'} tilbage`,
  confidence: (line) => (line.confidence === 'low' ? 'sikkerhed: lav (vurdér)' : 'sikkerhed: høj'),
  howTo: [
    'Luk en besvaret sag:    npm run cases -- close <reference>',
    'Forlæng en sag (2 mdr): npm run cases -- extend <reference>',
  ],
};

const EN: Language = {
  title: (today) => `GDPR deadlines ${today} (Danish time)`,
  overdue: 'Overdue',
  extensionNoticeDue: 'Answer, or give notice of an extension, by the date shown',
  dueSoon: (window) => `Due within ${window} working days`,
  right: (right) => `${right} (Art. ${GDPR_ARTICLE[right]})`,
  due: 'due',
  extended: '(extended)',
  noticeBy: 'extension notice by',
  daysLeft: (days) =>
    days < 0
      ? `${-days} working day${days === -1 ? '' : 's'} overdue`
      : days === 0
        ? 'due today'
        : `${days} working day${days === 1 ? '' : 's'} left`,
  confidence: (line) => (line.confidence === 'low' ? 'confidence: low (review)' : 'confidence: high'),
  howTo: [
    'Close an answered case:      npm run cases -- close <reference>',
    'Extend a case (two months):  npm run cases -- extend <reference>',
  ],
};

function lineText(line: DigestLine, lang: Language): string {
  const due = [`${lang.due} ${line.dueOn}`, line.extended ? lang.extended : ''].filter(Boolean).join(' ');
  const parts = [
    line.reference,
    lang.right(line.right),
    due,
    lang.daysLeft(line.workingDaysLeft),
    lang.confidence(line),
  ];
  if (line.extensionNoticeBy) parts.push(`${lang.noticeBy} ${line.extensionNoticeBy}`);
  return `  ${parts.join(' | ')}`;
}

function section(title: string, lines: DigestLine[], lang: Language): string[] {
  if (lines.length === 0) return [];
  return [`${title} (${lines.length}):`, ...lines.map((line) => lineText(line, lang)), ''];
}

function body(digest: Digest, window: number, lang: Language): string[] {
  return [
    lang.title(digest.today),
    '',
    ...section(lang.overdue, digest.overdue, lang),
    ...section(lang.extensionNoticeDue, digest.extensionNoticeDue, lang),
    ...section(lang.dueSoon(window), digest.dueSoon, lang),
    ...lang.howTo,
  ];
}

/** The digest's text: Danish, then English. */
export function digestText(digest: Digest, dueSoonWorkingDays: number): string {
  return [
    ...body(digest, dueSoonWorkingDays, DA),
    '',
    '— English —',
    '',
    ...body(digest, dueSoonWorkingDays, EN),
    '',
  ].join('\n');
}

/** `GDPR-frister: 1 overskredet, 2 snart / GDPR deadlines: 1 overdue, 2 soon`. */
export function digestSubject(digest: Digest): string {
  const soon = digest.extensionNoticeDue.length + digest.dueSoon.length;
  const da = [
    digest.overdue.length > 0 ? `${digest.overdue.length} overskredet` : '',
    soon > 0 ? `${soon} snart` : '',
  ].filter(Boolean);
  const en = [
    digest.overdue.length > 0 ? `${digest.overdue.length} overdue` : '',
    soon > 0 ? `${soon} due soon` : '',
  ].filter(Boolean);
  return `GDPR-frister: ${da.join(', ')} / GDPR deadlines: ${en.join(', ')}`;
}

export interface DigestMail {
  from: string;
  to: string[];
  dueSoonWorkingDays: number;
}

/** Builds the raw MIME of the day's digest. A retried run of the same day has the same Message-ID. */
export async function composeDigest(digest: Digest, mail: DigestMail, now: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: 'GDPR-frister (mail triage)', address: mail.from },
    to: mail.to,
    subject: digestSubject(digest),
    text: digestText(digest, mail.dueSoonWorkingDays),
    date: now,
    messageId: `<digest-${digest.today}-${stableId(mail.to.join(','))}@${messageIdDomain(mail.from)}>`,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    },
  });
  return composer.compile().build();
}
