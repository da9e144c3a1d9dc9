import type { GdprFacts, ReplyTemplate } from '../core/types.js';
import {
  AUTOMATIC_REPLY_NOTE,
  DIGITAL_POST_STEPS,
  LETTER_IF_EXEMPT,
  quoteReference,
  READ_MORE,
} from './digital-post.js';
import { secureChannelNotice } from './secure-channel.js';

// One source of wording: every text is written once as blocks of plain text, links and
// emphasis; the plain-text and the HTML alternative are both generated from them, so the
// two can never say different things.

export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Bilingual<T> = Record<Language, T>;

/** A link to a public page. Its text is what a plain-text reader sees, so it names the site. */
export interface Link {
  text: string;
  href: string;
}

/** Text a reader should find at a glance (the case reference). */
export interface Emphasis {
  strong: string;
}

export type Inline = string | Link | Emphasis;
/** One paragraph. A string part may hold line breaks (an address). */
export type Block = readonly Inline[];

/**
 * What a reply may be filled with: facts we computed ourselves. Nothing here comes from
 * the incoming mail's text, so a template can never echo what a sender wrote.
 */
export interface ReplyFacts {
  gdpr: GdprFacts | null;
  cprWarning: boolean;
  /** The case reference the citizen quotes in Digital Post (case-reference.ts). */
  reference: string;
  /** Whether the mail was forwarded to the owners of its topic: a reply says so only then. */
  forwarded: boolean;
}

/** One language of a reply, as plain text and as HTML-safe markup. */
export interface RenderedText {
  text: string;
  html: string;
}

/** A reply template: its complete wording in Danish and English. */
export interface ReplyTexts {
  template: ReplyTemplate;
  /** The blocks, the one source of the wording. */
  blocks(facts: ReplyFacts): Bilingual<Block[]>;
  /** Each language rendered as plain text and as escaped HTML. */
  render(facts: ReplyFacts): Bilingual<RenderedText>;
}

/** A template's own wording: what was received and what happens next, and details after the guidance. */
export interface TemplateWording {
  opening: Bilingual<Block[]>;
  /** Details that matter less than how to write securely (a deadline's extension rules). */
  details?: Bilingual<Block[]>;
}

/**
 * A complete reply: the template's opening; the one kind notice that personal data belongs
 * in Digital Post, with how to write there, the case reference to quote, and the letter
 * for people exempt from Digital Post; then the template's details, where to read more,
 * and the note that the reply is automatic.
 */
export function defineReplyTexts(
  template: ReplyTemplate,
  wording: (facts: ReplyFacts) => TemplateWording,
): ReplyTexts {
  const blocks = (facts: ReplyFacts): Bilingual<Block[]> => {
    const own = wording(facts);
    const compose = (language: Language): Block[] => [
      ...own.opening[language],
      secureChannelNotice(language, { cprWarning: facts.cprWarning, template }),
      DIGITAL_POST_STEPS[language],
      quoteReference(language, facts.reference),
      LETTER_IF_EXEMPT[language],
      ...(own.details?.[language] ?? []),
      READ_MORE[language],
      ...AUTOMATIC_REPLY_NOTE[language],
    ];
    return { da: compose('da'), en: compose('en') };
  };
  return {
    template,
    blocks,
    render: (facts) => {
      const all = blocks(facts);
      return { da: renderBlocks(all.da), en: renderBlocks(all.en) };
    },
  };
}

export function renderBlocks(blocks: readonly Block[]): RenderedText {
  return {
    text: blocks.map(blockText).join('\n\n'),
    html: blocks.map((block) => `<p style="margin:0 0 1em">${blockHtml(block)}</p>`).join('\n'),
  };
}

/** A block as plain text: links show their text, which names the site. */
export function blockText(block: Block): string {
  return block
    .map((part) => (typeof part === 'string' ? part : 'href' in part ? part.text : part.strong))
    .join('');
}

function blockHtml(block: Block): string {
  return block
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part).replace(/\n/g, '<br>\n');
      if ('href' in part) return `<a href="${escapeHtml(part.href)}">${escapeHtml(part.text)}</a>`;
      return `<strong>${escapeHtml(part.strong)}</strong>`;
    })
    .join('');
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
