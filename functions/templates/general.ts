import { defineReplyTexts } from './reply-texts.js';

export const GENERAL_REPLY = defineReplyTexts('general', () => ({
  da: [
    'Tak for din e-mail, som vi har modtaget.',
    'Vi har sendt den videre til de medarbejdere, der skal behandle den.',
  ],
  en: [
    'Thank you for your e-mail, which we have received.',
    'We have forwarded it to the team that handles it.',
  ],
}));
