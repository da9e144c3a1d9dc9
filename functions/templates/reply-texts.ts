import type { GdprFacts, ReplyTemplate } from '../core/types.js';
import { CPR_WARNING } from './cpr-warning.js';
import { AUTOMATIC_REPLY_NOTE, DIGITAL_POST_GUIDANCE } from './digital-post.js';

// One source of wording: every text is written once as plain paragraphs; the HTML is
// generated from them by escaping, so the two alternatives can never say different things.

export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Bilingual<T> = Record<Language, T>;

/**
 * What a reply may be filled with: facts we computed ourselves. Nothing here comes from
 * the incoming mail's text, so a template can never echo what a sender wrote.
 */
export interface ReplyFacts {
  gdpr: GdprFacts | null;
  cprWarning: boolean;
}

/** One language of a reply, as plain text and as HTML-safe markup. */
export interface RenderedText {
  text: string;
  html: string;
}

/** A reply template: its complete wording in Danish and English. */
export interface ReplyTexts {
  template: ReplyTemplate;
  /** The plain paragraphs, the one source of the wording. A paragraph may hold line breaks. */
  paragraphs(facts: ReplyFacts): Bilingual<string[]>;
  /** Each language rendered as plain text and as escaped HTML. */
  render(facts: ReplyFacts): Bilingual<RenderedText>;
}

/** The paragraphs that open a reply: what was received and what happens next. */
export type OpeningParagraphs = (facts: ReplyFacts) => Bilingual<string[]>;

/**
 * A complete reply: the template's own opening, the CPR warning when one is due, then the
 * Digital Post guidance every citizen gets, and the note that the reply is automatic.
 */
export function defineReplyTexts(template: ReplyTemplate, opening: OpeningParagraphs): ReplyTexts {
  const paragraphs = (facts: ReplyFacts): Bilingual<string[]> => {
    const own = opening(facts);
    const compose = (language: Language): string[] => [
      ...own[language],
      ...(facts.cprWarning ? CPR_WARNING[language] : []),
      ...DIGITAL_POST_GUIDANCE[language],
      ...AUTOMATIC_REPLY_NOTE[language],
    ];
    return { da: compose('da'), en: compose('en') };
  };
  return {
    template,
    paragraphs,
    render: (facts) => {
      const all = paragraphs(facts);
      return { da: renderParagraphs(all.da), en: renderParagraphs(all.en) };
    },
  };
}

export function renderParagraphs(paragraphs: readonly string[]): RenderedText {
  return {
    text: paragraphs.join('\n\n'),
    html: paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`).join('\n'),
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const MONTHS: Bilingual<readonly string[]> = {
  da: [
    'januar',
    'februar',
    'marts',
    'april',
    'maj',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/**
 * An ISO calendar date (YYYY-MM-DD) for people: "5. april 2026" in Danish, "5 April 2026"
 * in English. Written out here rather than via Intl so the wording does not depend on the
 * ICU data a runtime happens to ship.
 */
export function formatDate(isoDate: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? MONTHS[language][Number(match[2]) - 1] : undefined;
  if (!match || !month) throw new RangeError('expected a calendar date as YYYY-MM-DD');
  const day = Number(match[3]);
  return language === 'da' ? `${day}. ${month} ${match[1]}` : `${day} ${month} ${match[1]}`;
}
