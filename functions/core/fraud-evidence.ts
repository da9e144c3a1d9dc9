import { extractFraudFacts } from './fraud-facts.js';
import type { Signal } from './signals.js';
import { flatten, matches, vocabulary, words } from './text-patterns.js';
import type { AttachmentFact, Confidence } from './types.js';

// Is this mail a report of a fraudulent SMS? Citizens rarely write the subject SSI asks
// for ("Fraud SMS"): they paste or forward the SMS under "Er det jer?" or no subject at
// all, or send a screenshot. The evidence is an SMS (named, pasted or forwarded) plus
// something that makes it suspect: fraud words, a link or number with a lure, a brand it
// pretends to be, or the question whether it is genuine.

// "Fraud SMS" and its variants (DOMAIN.md): only in the subject is this enough on its own.
export const FRAUD_SUBJECT_PHRASE = new RegExp(
  [
    String.raw`(?:^|[^\p{L}])(?:fraud|svindel|svindels|falsk|falske|phishing|fishing|mistænkelig|mistaenkelig|mistænkelige|suspicious|scam|spam|fake|fup|snyde?)[\s_-]*(?:sms|sms'er|sms-besked|tekstbesked|text message|text|besked)s?(?:$|[^\p{L}])`,
    String.raw`(?:^|[^\p{L}])sms[\s_-]*(?:svindel|fraud|phishing|scam|fup|snyd)(?:$|[^\p{L}])`,
    String.raw`(?:^|[^\p{L}])smishing(?:$|[^\p{L}])`,
  ].join('|'),
  'iu',
);

const SMS = words(
  'sms',
  "sms'?(?:en|er|erne|besked|beskeden|beskeder)",
  'sms-besked(?:en|er)?',
  'tekstbesked(?:en|er)?',
  'text message',
  '(?:a|this|that|the following|got a|received a) text(?! of)',
  'texted',
  'imessage',
  'besked på (?:min )?(?:telefon|mobil)(?:en)?',
  'message on my (?:phone|mobile)',
  'fik (?:en|denne|dette) besked',
  'modtog (?:en|denne|dette) besked',
  'fået (?:en|denne|dette) besked',
  'received (?:a|this) message',
  'got (?:a|this) message',
);
const FRAUD_WORD = words(
  'svindel\\p{L}*',
  'svindl\\p{L}*',
  'fup',
  'snyd',
  'falsk(?:e|t)?',
  'phishing',
  'smishing',
  'scam(?:mer|mers|s)?',
  'fraud(?:ulent)?',
  'fake',
  'bedrag\\p{L}*',
  'mistænkelig(?:e|t)?',
  'suspicious',
  'svindlere',
  'hackere?',
  'spam',
  'ikke ægte',
  'not genuine',
  'not real',
);
const LURE = vocabulary(
  'bekræft',
  'verify',
  'verific',
  'confirm',
  'klik',
  'click',
  'tryk',
  'tap',
  'log ind',
  'log on',
  'log in',
  'login',
  'indtast',
  'opdater',
  'update your',
  'udløb',
  'expire',
  'suspend',
  'spærre',
  'lukket',
  'blocked',
  'locked',
  'betal',
  'payment',
  'pay ',
  'gebyr',
  'fee',
  'pakke',
  'parcel',
  'package',
  'refusion',
  'refund',
  'tilbagebetal',
  'udbetal',
  'godtgørelse',
  'vundet',
  'you have won',
  'inden 24',
  'within 24',
  'i dag',
  'straks',
  'hurtigst muligt',
  'immediately',
  'urgent',
  'afventer',
  'pending',
  'mangler',
  'svar med',
  'reply with',
  'ring (?:til|på)',
  'call ',
  'kode',
  'code',
  'dit cpr',
  'your cpr',
  'kortoplysninger',
  'card details',
  'bankoplysninger',
);
const BRAND = vocabulary(
  'ssi(?![\\p{L}])',
  'statens serum',
  'sundhed\\.dk',
  'sundhedsstyrelsen',
  'sundhedsvæsen',
  'mitid',
  'nemid',
  'e-boks',
  'eboks',
  'digital post',
  'borger\\.dk',
  'postnord',
  'skat(?:testyrelsen)?(?![\\p{L}])',
  'din læge',
  'prøvesvar',
  'testsvar',
  'test result',
  'pcr',
  'vaccin',
  'coronapas',
  'covid',
  'mitsygehus',
  'min sundhedsplatform',
  'apotek',
);
const ASKS_IF_GENUINE = vocabulary(
  'er (?:det|den|denne|dette) (?:fra )?(?:jer|ssi|ægte|rigtig|rigtigt|korrekt|sand)',
  'kommer (?:den|det|denne) fra jer',
  'har i sendt',
  'sender i (?:sms|beskeder)',
  'er (?:det|den) svindel',
  'is (?:this|it) (?:from you|real|genuine|legit|a scam|fake|from ssi)',
  'did you send',
  'are you sending',
  'is this legitimate',
  'should i (?:click|trust)',
  'skal jeg (?:klikke|trykke|svare)',
  'kan jeg stole',
  'ligner (?:jer|ssi|svindel)',
  'looks like (?:you|ssi|a scam)',
  'til orientering',
  'for your information',
  'vil gerne (?:gøre jer opmærksom|advare|informere)',
  'want to (?:let you know|warn|report)',
  'anmelde',
  'report(?:ing)? (?:this|a|it)',
);
const CLICKED = vocabulary(
  'kom til at (?:klikke|trykke)',
  'klikkede',
  'trykkede',
  'har klikket',
  'har trykket',
  'har indtastet',
  'indtastede',
  'skrev mit',
  'gav dem',
  'clicked',
  'tapped',
  'entered my',
  'typed my',
  'gave them',
);
// A forwarded or pasted SMS: the sender line is a phone number or a short code.
const PASTED_SMS_SENDER =
  /^\s*(?:fra|from|afsender|sender)\s*:\s*(?:\+?\d[\d\s-]{3,16}|[A-Za-z]{2,11})\s*$/imu;

const IMAGE = /^image\//iu;
/** A screenshot report carries at most a line or two of text. */
const SHORT_TEXT = 300;

export interface FraudEvidence {
  signals: Signal[];
  /** Whether the body or an attachment reports a fraud SMS, and how sure that is. */
  report: Confidence | null;
}

/**
 * Fraud-SMS evidence from the subject, the text the sender wrote or forwarded, and the
 * attachments. `subjectPhrase` alone is decided by the routing rules; `report` covers the
 * mails that do not use it.
 */
export function assessFraudReport(
  subject: string,
  text: string,
  attachments: AttachmentFact[],
): FraudEvidence {
  const body = flatten(text);
  const both = `${subject} ${body}`;
  const signals: Signal[] = [];
  const add = (signal: Signal, present: boolean) => {
    if (present) signals.push(signal);
    return present;
  };

  add('subject-fraud-phrase', FRAUD_SUBJECT_PHRASE.test(subject));
  const sms = add('body-sms-mention', matches(SMS, both));
  const pasted = add('body-pasted-sms', PASTED_SMS_SENDER.test(text));
  const fraudWord = add('body-fraud-phrase', matches(FRAUD_WORD, both));
  const facts = extractFraudFacts(text);
  const link = add('body-link', facts.urls.length > 0);
  const phone = add('body-phone-number', facts.phoneNumbers.length > 0);
  const lure = add('body-lure', matches(LURE, body));
  const brand = add('body-impersonation', matches(BRAND, both));
  const asks = add('body-asks-if-genuine', matches(ASKS_IF_GENUINE, both));
  const clicked = add('body-victim-clicked', matches(CLICKED, body));
  const images = attachments.filter((attachment) => IMAGE.test(attachment.contentType));
  const screenshot = add('image-only-report', images.length > 0 && body.trim().length <= SHORT_TEXT);

  const smsLike = sms || pasted;
  const suspect = fraudWord || asks || clicked || ((link || phone) && (lure || brand));
  let report: Confidence | null = null;
  if (smsLike && suspect) report = 'high';
  else if (screenshot && (sms || fraudWord || asks || link)) report = 'high';
  else if (pasted && (link || phone)) report = 'high';
  else if (smsLike && (link || phone) && body.length <= 2_000) report = 'low';
  else if (screenshot && body.trim() === '' && subject.trim() === '') report = 'low';
  return { signals, report };
}
