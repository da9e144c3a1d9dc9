import { defineReplyTexts } from './reply-texts.js';

// Letters titled "Information om behandling af personoplysninger" are answered through
// the Digital Post contact point "Borgerhenvendelser" (SSI's page on secure communication).

export const PROCESSING_NOTICE_REPLY = defineReplyTexts('processing-notice', () => ({
  opening: {
    da: [
      ['Tak for din e-mail, som vi har modtaget.'],
      [
        'Har du spørgsmål til brevet „Information om behandling af personoplysninger“, så skriv til os med Digital Post: vælg Statens Serum Institut som modtager og derefter kontaktpunktet „Borgerhenvendelser“.',
      ],
    ],
    en: [
      ['Thank you for your e-mail, which we have received.'],
      [
        'If you have questions about the letter “Information om behandling af personoplysninger” (information about the processing of personal data), please write to us through Digital Post: choose Statens Serum Institut as the recipient and then the contact point “Borgerhenvendelser” (citizen enquiries).',
      ],
    ],
  },
}));
