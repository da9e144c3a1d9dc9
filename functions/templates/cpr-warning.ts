import type { Bilingual } from './reply-texts.js';

// Added to any reply whose incoming mail appeared to hold a CPR number. It never repeats
// the number: the sender knows what they wrote, and the reply travels by e-mail too.

export const CPR_WARNING: Bilingual<string[]> = {
  da: [
    'Din e-mail ser ud til at indeholde et CPR-nummer. E-mail er ikke en sikker kanal, så send venligst ikke CPR-numre til os på e-mail. Brug i stedet Digital Post.',
  ],
  en: [
    'Your e-mail appears to contain a CPR number (Danish personal identification number). E-mail is not a secure channel, so please do not send CPR numbers to us by e-mail. Please use Digital Post instead.',
  ],
};
