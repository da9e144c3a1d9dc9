import { parse } from 'tldts';
import { matchesAnyDomain } from './domains.js';
import { extractFraudFacts } from './fraud-facts.js';
import type { Signal } from './signals.js';
import { flatten, matches, vocabulary, words } from './text-patterns.js';
import type { AttachmentFact, Confidence, FraudFacts } from './types.js';

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
  'sms-(?:besked|beskeden|beskeder|beskederne)',
  'tekstbesked(?:en|er)?',
  'text message',
  // "a text" alone is also a text file or part: only a text someone got or that says something.
  '(?:got|received|receiving|getting|get|sent me) (?:a|this|that|these|the following) (?:strange |weird |suspicious |odd )?texts?',
  '(?:this|that|the) text (?:says|said|claims|claimed|came|comes|asks|asked|tells|told)',
  '(?:had|have had) (?:a|this|that|these) (?:strange |weird |suspicious |odd )?texts?',
  '(?:a|this) text (?:from|claiming|saying|pretending|about|with)',
  'texted',
  'imessage',
  '(?<!tak for )beskeden',
  'beskeder(?:ne)?',
  '(?:mærkelig|mystisk|underlig|falsk|mistænkelig|denne|den her|en) besked',
  'besked på (?:min )?(?:telefon|mobil)(?:en)?',
  'message on my (?:phone|mobile)',
  // "this message" alone is every e-mail's footer: only a message someone got counts.
  '(?:got|received|receiving|getting|get) (?:a|this|the following|these) (?:strange |weird |suspicious |odd )?messages?',
  '(?:strange|weird|suspicious|odd) messages?',
);
// The writer shows us something they received: "fik den her", "got this from a number".
const RECEIVED_THIS = vocabulary(
  '(?:fik|fået|modtog|modtaget) (?:lige )?(?:denne|dette|den her|det her|følgende)(?![\\p{L}])',
  'den her kom',
  'den kom fra',
  '(?:fra|from) (?:et|an?) (?:ukendt |unknown |udenlandsk |foreign )?(?:nummer|number)',
  '(?:got|received) (?:this|the following|these)',
  'this came',
  'der står',
  'it (?:said|says)',
  'saying',
  'lyder',
  'her er (?:de|den|beskeden|teksten)',
);
// A phishing e-mail is not the SMS lane (SSI's fraud lane is about SMS).
const EMAIL_NOT_SMS = vocabulary(
  '(?:fået|fik|modtaget|modtog) (?:en |denne |den her )?(?:e-?mail|mail)',
  '(?:got|received) (?:an?|this) (?:e-?mail|mail)',
  'phishing-?mail',
  'falsk(?:e)? (?:e-?mail|mail)',
  'fake e-?mail',
  'i (?:min )?indbakke',
  'in my inbox',
  '\\(?ikke (?:en )?sms',
  'not (?:an? )?(?:sms|text)',
);
// An authority's or CERT's warning about a campaign informs SSI; it reports no one's SMS.
const CAMPAIGN_WARNING = vocabulary(
  '\\p{L}*kampagne',
  'campaign',
  'varsel',
  'varsling',
  'advarsel',
  'advarer (?:borgerne|jer)',
  'warning',
  'security alert',
  'et større antal',
  'a (?:large|growing) number',
  'indikatorer',
  'indicators',
  'observeret',
  'we (?:have )?observed',
  'orienterer hermed',
);
// Questions about genuine reminders ("how do I stop the SMS reminders?"), not reports.
const REMINDER_SERVICE = vocabulary(
  'påmindelse',
  'reminder',
  '(?:af|fra|til)meld',
  'unsubscribe',
  'sign up',
  'opt in',
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
  'claiming to be',
  'pretending',
  'udgiver sig for',
  'giver sig ud for',
  'svindlet',
  'lurer',
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
  'straks',
  'hurtigst muligt',
  'immediately',
  'urgent',
  'afventer',
  'pending',
  'mangler',
  'svar(?:e)? (?:med|ja|nej)',
  'reply (?:with|yes|y)',
  'bedt om at',
  'asked (?:me )?to',
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
  'is (?:this|it|that) (?:from you|you|real|genuine|legit|a scam|fake|from ssi)',
  '(?:ægte|rigtig|real|genuine|legit|legitimate|fake|falsk)\\s*\\?',
  'legit or not',
  '(?:tror|troede) ikke,? (?:at )?(?:i|man|ssi) (?:sender|skriver|skulle)',
  "(?:don't|do not) think you (?:send|would)",
  'må i (?:det|godt|sende)',
  'hvad skal jeg gøre',
  'what should i do',
  'kan i gøre noget',
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
  /^\s*(?:fra|from|afsender|sender)\s*:\s*(?:\+?\d[\d\s-]{3,16}|[\p{L}\d][\p{L}\d .-]{1,19})\s*$/imu;
// A bare domain as SMS senders write links, "mitid-dk.help"; checked against the public suffix list.
const BARE_DOMAIN =
  /(?<![\p{L}\p{N}@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}[a-z]{2,18}(?![\p{L}\p{N}-])/giu;
const ROLE_VETO: readonly Signal[] = ['researcher-data-request', 'vendor-offer', 'journalist-aktindsigt'];

// A message pasted in quotes: "Kære borger, din prøve er klar: ssi-dk.info".
const QUOTED_MESSAGE = /["“”»«„]([^"“”»«„\n]{20,400})["“”»«]/gu;
const IMAGE = /^image\//iu;
/** A screenshot report carries at most a line or two of text. */
const SHORT_TEXT = 300;

export interface FraudEvidence {
  signals: Signal[];
  /** Whether the body or an attachment reports a fraud SMS, and how sure that is. */
  report: Confidence | null;
  /** The links (defanged) and phone numbers of the subject and text: a report's facts. */
  facts: FraudFacts;
}

export interface FraudInput {
  subject: string;
  /** What the writer wrote and forwarded; our own quoted reply left out. */
  text: string;
  attachments: AttachmentFact[];
  /** Domains whose links are no lure: our own and the authorities'. */
  trustedDomains: readonly string[];
  /** Signals of who writes (writer-role.ts): researchers, vendors and journalists discuss fraud, they do not report it. */
  roleSignals: readonly Signal[];
  /** An answer to our reply to a fraud report: whatever it adds belongs to that report. */
  followsFraudReport: boolean;
}

/**
 * Fraud-SMS evidence from the subject, the text the sender wrote or forwarded, and the
 * attachments. The subject phrase alone is decided by the routing rules; `report` covers
 * the mails that do not use it.
 */
// A phone's signature is no words of the writer's: "Sendt fra min iPhone".
const DEVICE_SIGNATURE = /(?:sendt|sent|hentet|get) (?:fra|from|via) (?:min|my|outlook|mail)[^\n]{0,40}/giu;

export function assessFraudReport(input: FraudInput): FraudEvidence {
  const { subject, text, attachments } = input;
  const body = flatten(text.replace(DEVICE_SIGNATURE, ' ')).trim();
  const both = `${subject} ${body}`;
  const signals: Signal[] = [];
  const add = (signal: Signal, present: boolean) => {
    if (present) signals.push(signal);
    return present;
  };

  add('subject-fraud-phrase', FRAUD_SUBJECT_PHRASE.test(subject));
  const sms = add('body-sms-mention', matches(SMS, both));
  const pasted = add(
    'body-pasted-sms',
    PASTED_SMS_SENDER.test(text) || matches(RECEIVED_THIS, body) || hasQuotedBait(body, input.trustedDomains),
  );
  const fraudWord = add('body-fraud-phrase', matches(FRAUD_WORD, both));
  const facts = extractFraudFacts(`${subject}\n${text}`);
  const link = add('body-link', facts.urls.length > 0 || hasUntrustedDomain(body, input.trustedDomains));
  const phone = add('body-phone-number', facts.phoneNumbers.length > 0);
  const lure = add('body-lure', matches(LURE, body));
  const brand = add('body-impersonation', matches(BRAND, both));
  const asks = add('body-asks-if-genuine', matches(ASKS_IF_GENUINE, both));
  const clicked = add('body-victim-clicked', matches(CLICKED, body));
  const email = add('email-not-sms', matches(EMAIL_NOT_SMS, both));
  const campaign = add('fraud-campaign-warning', matches(CAMPAIGN_WARNING, both));
  const images = attachments.filter((attachment) => IMAGE.test(attachment.contentType));
  const screenshot = add('image-only-report', images.length > 0 && body.trim().length <= SHORT_TEXT);

  if (campaign || input.roleSignals.some((signal) => ROLE_VETO.includes(signal)))
    return { signals, report: null, facts };
  if (input.followsFraudReport && (link || phone || sms || fraudWord || screenshot)) {
    return { signals, report: 'high', facts };
  }
  // A message the writer says came by e-mail is for the general lane, whatever it imitates.
  const smsLike = !email && (sms || pasted);
  const bait = link || phone || lure;
  const suspect = fraudWord || clicked || (bait && (asks || brand || lure));
  const reminderQuestion = matches(REMINDER_SERVICE, both) && !link && !fraudWord && !clicked;
  let report: Confidence | null = null;
  if (smsLike && suspect && !reminderQuestion) report = 'high';
  else if (screenshot && (sms || fraudWord || asks || link || brand)) report = 'high';
  else if (smsLike && (link || phone) && !reminderQuestion && body.length <= 2_000) report = 'low';
  else if (screenshot && body.trim() === '' && subject.trim() === '') report = 'low';
  return { signals, report, facts };
}

function hasQuotedBait(text: string, trusted: readonly string[]): boolean {
  for (const [, quoted = ''] of text.matchAll(QUOTED_MESSAGE)) {
    if (extractFraudFacts(quoted).urls.length > 0 || hasUntrustedDomain(quoted, trusted)) return true;
  }
  return false;
}

function hasUntrustedDomain(text: string, trusted: readonly string[]): boolean {
  for (const [candidate] of text.matchAll(BARE_DOMAIN)) {
    const domain = candidate.toLowerCase();
    // "f.eks." and "rapport.pdf" look like domains; only an ICANN suffix makes one.
    if (parse(domain).isIcann !== true) continue;
    if (!matchesAnyDomain(domain, trusted)) return true;
  }
  return false;
}
