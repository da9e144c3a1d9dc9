import type { ReplyTemplate } from '../core/types.js';
import type { Block, Language } from './reply-texts.js';

// The one notice that personal data belongs in Digital Post, said once per language, near
// the top, and kindly: what to send where, and why it helps the reader (their data is
// protected on the way), rather than what they did wrong. A request sent by e-mail is still
// a valid request (GDPR Art. 12(3)), so nothing here suggests the mail was set aside.
// A mail that held a CPR number gets the same notice, opened by a plain statement of that
// fact; the number itself is never repeated, since the reply travels by e-mail too.

const CPR_FOUND = {
  da: 'Din e-mail ser ud til at indeholde et CPR-nummer. ',
  en: 'Your e-mail appears to contain a CPR number (Danish personal identification number). ',
} as const;

const WHAT_TO_SEND = {
  // A requester is often asked to show who they are.
  request: {
    da: 'Skal du sende os flere oplysninger, fx dokumentation for din identitet,',
    en: 'If you need to send us more, such as documentation of your identity,',
  },
  afterCpr: {
    da: 'Næste gang du sender os personoplysninger,',
    en: 'The next time you send us personal data,',
  },
  any: {
    da: 'Skal du sende os personoplysninger, fx dit CPR-nummer eller oplysninger om dit helbred,',
    en: 'If you need to send us personal data, such as your CPR number or information about your health,',
  },
} as const;

/** The phrase that carries the notice; said exactly once per language in every reply. */
export const NOT_BY_EMAIL = { da: 'ikke på e-mail', en: 'not by e-mail' } as const;

const WHERE_AND_WHY = {
  da: ` så send dem venligst med Digital Post og ${NOT_BY_EMAIL.da}. Så er de beskyttet undervejs.`,
  en: ` please send it through Digital Post, ${NOT_BY_EMAIL.en}, so that it is protected on the way.`,
} as const;

export function secureChannelNotice(
  language: Language,
  { cprWarning, template }: { cprWarning: boolean; template: ReplyTemplate },
): Block {
  const what =
    template === 'data-subject-request'
      ? WHAT_TO_SEND.request
      : cprWarning
        ? WHAT_TO_SEND.afterCpr
        : WHAT_TO_SEND.any;
  return [`${cprWarning ? CPR_FOUND[language] : ''}${what[language]}${WHERE_AND_WHY[language]}`];
}
