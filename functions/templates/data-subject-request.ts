import type { GdprFacts } from '../core/types.js';
import { formatDate } from './dates.js';
import { defineReplyTexts, type Language } from './reply-texts.js';

// GDPR Art. 12(3): a request is answered within one month of receipt; the period may be
// extended by two further months, and the data subject must be told so within the first
// month. A request sent by e-mail is still a valid request, so the reply acknowledges it
// with its date and never suggests it was set aside. Only dates we computed are inserted.

export const DATA_SUBJECT_REQUEST_REPLY = defineReplyTexts('data-subject-request', ({ gdpr }) =>
  gdpr ? { da: danish(dates(gdpr, 'da')), en: english(dates(gdpr, 'en')) } : DATELESS,
);

interface RequestDates {
  receivedOn: string;
  dueOn: string;
  extensionNoticeBy: string;
}

function dates(gdpr: GdprFacts, language: Language): RequestDates {
  return {
    receivedOn: formatDate(gdpr.receivedOn, language),
    dueOn: formatDate(gdpr.dueOn, language),
    extensionNoticeBy: formatDate(gdpr.extensionNoticeBy, language),
  };
}

const danish = (d: RequestDates): string[] => [
  `Tak for din e-mail. Vi har modtaget din anmodning den ${d.receivedOn}.`,
  `Din anmodning gælder, selv om du har sendt den på e-mail, og vi besvarer den senest den ${d.dueOn}.`,
  `Fristen er en måned. Den kan forlænges med op til to måneder mere, hvis anmodningen er kompleks, eller hvis vi har mange anmodninger. Sker det, får du besked om det og om årsagen senest den ${d.extensionNoticeBy}.`,
  'Skal du sende os flere personoplysninger, fx dokumentation for din identitet, så send dem med Digital Post og ikke på e-mail.',
];

const english = (d: RequestDates): string[] => [
  `Thank you for your e-mail. We received your request on ${d.receivedOn}.`,
  `Your request is valid even though you sent it by e-mail, and we will answer it no later than ${d.dueOn}.`,
  `The deadline is one month. It may be extended by up to two further months if the request is complex or we have many requests. If so, we will tell you, and why, no later than ${d.extensionNoticeBy}.`,
  'If you need to send us further personal data, such as documentation of your identity, please send it through Digital Post, not by e-mail.',
];

/** Used only if a job arrives without computed deadlines: the same promise, without dates. */
const DATELESS = {
  da: [
    'Tak for din e-mail. Vi har modtaget din anmodning.',
    'Din anmodning gælder, selv om du har sendt den på e-mail, og vi besvarer den senest en måned efter, at vi modtog den. Fristen kan forlænges med op til to måneder mere; sker det, får du besked om det og om årsagen inden for den første måned.',
    'Skal du sende os flere personoplysninger, fx dokumentation for din identitet, så send dem med Digital Post og ikke på e-mail.',
  ],
  en: [
    'Thank you for your e-mail. We have received your request.',
    'Your request is valid even though you sent it by e-mail, and we will answer it no later than one month after we received it. The deadline may be extended by up to two further months; if so, we will tell you, and why, within the first month.',
    'If you need to send us further personal data, such as documentation of your identity, please send it through Digital Post, not by e-mail.',
  ],
} satisfies Record<Language, string[]>;
