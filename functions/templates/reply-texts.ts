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
