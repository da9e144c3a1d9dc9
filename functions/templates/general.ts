import { defineReplyTexts } from './reply-texts.js';

// Says only what is true: the mail is forwarded to staff only when owners are configured
// for its topic; otherwise it waits on its topic's queue, which is no forward to a team.

export const GENERAL_REPLY = defineReplyTexts('general', ({ forwarded }) => ({
  opening: forwarded
    ? {
        da: [
          ['Tak for din e-mail, som vi har modtaget.'],
          ['Vi har sendt den videre til de medarbejdere, der skal behandle den.'],
        ],
        en: [
          ['Thank you for your e-mail, which we have received.'],
          ['We have forwarded it to the team that handles it.'],
        ],
      }
    : {
        da: [['Tak for din e-mail, som vi har modtaget og registreret.']],
        en: [['Thank you for your e-mail, which we have received and registered.']],
      },
}));
