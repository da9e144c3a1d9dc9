import type { GdprFacts } from '../core/types.js';
import { formatDate } from './dates.js';
import {
  type Bilingual,
  type Block,
  defineReplyTexts,
  type Language,
  type TemplateWording,
} from './reply-texts.js';

// GDPR Art. 12(3): a request is answered within one month of receipt; the period may be
// extended by two further months, and the data subject must be told so within the first
// month. A request sent by e-mail is still a valid request, so the reply acknowledges it
// with its receipt date and due date first, and never suggests it was set aside. Only
// dates we computed are inserted.

export const DATA_SUBJECT_REQUEST_REPLY = defineReplyTexts('data-subject-request', ({ gdpr }) =>
  gdpr ? withDates(dates(gdpr, 'da'), dates(gdpr, 'en')) : DATELESS,
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

const withDates = (da: RequestDates, en: RequestDates): TemplateWording => ({
  opening: {
    da: [
      [`Tak for din e-mail. Vi har modtaget din anmodning den ${da.receivedOn}.`],
      [
        `Din anmodning gælder, selv om du har sendt den på e-mail, og vi besvarer den senest den ${da.dueOn}.`,
      ],
    ],
    en: [
      [`Thank you for your e-mail. We received your request on ${en.receivedOn}.`],
      [
        `Your request is valid even though you sent it by e-mail, and we will answer it no later than ${en.dueOn}.`,
      ],
    ],
  },
  details: {
    da: [
      [
        `Fristen er en måned. Den kan forlænges med op til to måneder mere, hvis anmodningen er kompleks, eller hvis vi har mange anmodninger. Sker det, får du besked om det og om årsagen senest den ${da.extensionNoticeBy}.`,
      ],
    ],
    en: [
      [
        `The deadline is one month. It may be extended by up to two further months if the request is complex or we have many requests. If so, we will tell you, and why, no later than ${en.extensionNoticeBy}.`,
      ],
    ],
  },
});

/** Used only if a job arrives without computed deadlines: the same promise, without dates. */
const DATELESS: TemplateWording = {
  opening: {
    da: [
      ['Tak for din e-mail. Vi har modtaget din anmodning.'],
      [
        'Din anmodning gælder, selv om du har sendt den på e-mail, og vi besvarer den senest en måned efter, at vi modtog den.',
      ],
    ],
    en: [
      ['Thank you for your e-mail. We have received your request.'],
      [
        'Your request is valid even though you sent it by e-mail, and we will answer it no later than one month after we received it.',
      ],
    ],
  } satisfies Bilingual<Block[]>,
  details: {
    da: [
      [
        'Fristen kan forlænges med op til to måneder mere; sker det, får du besked om det og om årsagen inden for den første måned.',
      ],
    ],
    en: [
      [
        'The deadline may be extended by up to two further months; if so, we will tell you, and why, within the first month.',
      ],
    ],
  },
};
