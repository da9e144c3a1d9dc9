import { type Bilingual, escapeHtml, LANGUAGES, type Language, type RenderedText } from './reply-texts.js';

// How a reply is laid out around its wording: a bilingual subject, a one-line pointer to
// the English version, a heading per language, Danish first. The HTML is a simple,
// accessible page: inline styles (mail programs drop style sheets), a readable sans-serif
// font at 16 px with generous line height, dark text on white, default link colours and
// underlines, `lang` on each language's section so screen readers switch voice.

/** Every reply's subject starts with this, in both languages: English senders read it too. */
export const REPLY_SUBJECT_PREFIX = 'Automatisk svar / Automatic reply';

/** The reply's subject: the prefix, then the sender's subject once made safe to echo. */
export function replySubject(echoedSubject: string): string {
  return echoedSubject ? `${REPLY_SUBJECT_PREFIX}: ${echoedSubject}` : REPLY_SUBJECT_PREFIX;
}

/** The body's first line, for readers who do not read Danish. */
export const ENGLISH_BELOW = 'English version below.';

export const REPLY_HEADINGS: Bilingual<string> = {
  da: 'Automatisk svar fra Statens Serum Institut',
  en: 'Automatic reply from Statens Serum Institut',
};

const SEPARATOR = '-'.repeat(60);

/** The whole plain-text body: pointer, then each language under its heading. */
export function replyText(rendered: Bilingual<RenderedText>): string {
  const section = (language: Language) => {
    const heading = REPLY_HEADINGS[language];
    return `${heading}\n${'='.repeat(heading.length)}\n\n${rendered[language].text}`;
  };
  return `${ENGLISH_BELOW}\n\n${section('da')}\n\n${SEPARATOR}\n\n${section('en')}\n`;
}

const BODY_STYLE =
  'margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5';
const HEADING_STYLE = 'font-size:22px;line-height:1.3;margin:0 0 16px';

/** The whole HTML body: a page with one section per language, each with its heading. */
export function replyHtml(rendered: Bilingual<RenderedText>): string {
  const sections = LANGUAGES.map((language) =>
    [
      `<div lang="${language}" id="${language}">`,
      `<h1 style="${HEADING_STYLE}">${escapeHtml(REPLY_HEADINGS[language])}</h1>`,
      rendered[language].html,
      '</div>',
    ].join('\n'),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="da">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(REPLY_SUBJECT_PREFIX)}</title>`,
    '</head>',
    `<body style="${BODY_STYLE}">`,
    '<div style="max-width:640px">',
    `<p lang="en" style="margin:0 0 24px">${escapeHtml(ENGLISH_BELOW)}</p>`,
    sections.join('\n<hr style="border:0;border-top:1px solid #767676;margin:32px 0">\n'),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
