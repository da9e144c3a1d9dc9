import { defineReplyTexts } from './reply-texts.js';

// SSI never sends SMS with links to citizens; the reply says so and tells the reader what
// to do with the message they reported.

export const FRAUD_SMS_REPLY = defineReplyTexts('fraud-sms', () => ({
  opening: {
    da: [
      ['Tak for din e-mail, som vi har modtaget, og tak fordi du har anmeldt en mistænkelig SMS.'],
      [
        'Statens Serum Institut sender aldrig SMS’er med links til borgere. Klik ikke på linket, svar ikke på beskeden, og slet SMS’en.',
      ],
      ['Vi bruger din anmeldelse til at advare andre.'],
    ],
    en: [
      [
        'Thank you for your e-mail, which we have received, and for reporting a suspicious text message (SMS).',
      ],
      [
        'Statens Serum Institut never sends text messages with links to citizens. Do not click the link, do not reply to the message, and delete the SMS.',
      ],
      ['We use your report to warn others.'],
    ],
  },
}));
