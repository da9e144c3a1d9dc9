import type { Bilingual } from './reply-texts.js';

// How a citizen reaches SSI securely, from SSI's public page on secure communication.
// Every reply carries it. No links on purpose: a reply that tells people not to click
// links in messages should not contain any itself.

export const DIGITAL_POST_GUIDANCE: Bilingual<string[]> = {
  da: [
    'Send venligst ikke personoplysninger til os på e-mail. E-mail er ikke en sikker kanal, og allerede din e-mailadresse er en personoplysning.',
    'Skriv i stedet sikkert til os med Digital Post: på borger.dk under „Skriv til en offentlig myndighed“ eller i appen mit.dk eller e-Boks. Vælg Statens Serum Institut som modtager og derefter et kontaktpunkt. Er du i tvivl om, hvilket kontaktpunkt du skal vælge, så vælg hovedpostkassen.',
    'Er du fritaget for Digital Post, kan du sende et brev til:\nStatens Serum Institut\nArtillerivej 5\n2300 København S\nSkriv på kuverten, hvilken afdeling eller person brevet er til.',
  ],
  en: [
    'Please do not send personal data to us by e-mail. E-mail is not a secure channel, and even your e-mail address is personal data.',
    'Instead, write to us securely through Digital Post: on borger.dk under “Skriv til en offentlig myndighed” (Write to a public authority), or in the mit.dk or e-Boks app. Choose Statens Serum Institut as the recipient and then a contact point. If you are unsure which contact point to choose, choose the main mailbox (hovedpostkasse).',
    'If you are exempt from Digital Post, you can send a letter to:\nStatens Serum Institut\nArtillerivej 5\n2300 København S\nDenmark\nPlease write on the envelope which department or person the letter is for.',
  ],
};

export const AUTOMATIC_REPLY_NOTE: Bilingual<string[]> = {
  da: ['Dette er et automatisk svar.', 'Med venlig hilsen\nStatens Serum Institut'],
  en: ['This is an automatic reply.', 'Kind regards\nStatens Serum Institut'],
};
