import type { RoutingRule, TriageConfig } from './config.js';

// The default routing order (first match wins). Patterns are case-insensitive and match
// the subject after reply/forward prefixes and [EXTERN]-style tags are stripped.
const FRAUD_SMS_SUBJECT = [
  // "Fraud SMS", "fraud-sms", "svindel-SMS", "falsk SMS", "phishing-SMS", "mistænkelig sms", "svindel besked"
  '(^|[^\\p{L}])(fraud|svindel|svindels|falsk|phishing|mistænkelig|mistaenkelig|suspicious|scam|spam)[\\s_-]*(sms|tekstbesked|text message)s?($|[^\\p{L}])',
  // "SMS-svindel", "sms fraud", "SMS phishing"
  '(^|[^\\p{L}])sms[\\s_-]*(svindel|fraud|phishing|scam)($|[^\\p{L}])',
  '(^|[^\\p{L}])smishing($|[^\\p{L}])',
];

const PROCESSING_NOTICE = [
  'information om behandling af (dine |mine )?personoplysninger',
  'brev om behandling af (dine |mine )?personoplysninger',
  'hvorfor har (i|ssi) mine (person)?oplysninger',
  'information (about|on) (the )?processing of (your |my )?personal data',
  'letter about (the )?processing of (your |my )?personal data',
  'why do you (have|hold|process) my (personal )?(data|information)',
];

export const DEFAULT_RULES: RoutingRule[] = [
  // No backscatter and no routing of malware to people: scanning failures go first.
  { id: 'quarantine-verdict', topic: 'quarantine', when: { verdictFail: ['spam', 'virus'] } },
  { id: 'fraud-sms-subject', topic: 'fraud-sms', when: { subject: FRAUD_SMS_SUBJECT } },
  // Authorities and companies write encrypted; only they can read the content.
  { id: 'partner-encrypted', topic: 'partner', when: { encrypted: true } },
  // A newsletter about access rights or an out-of-office echoing "Anmodning om indsigt"
  // asks for nothing; only mail a person wrote can start the GDPR clock.
  { id: 'data-subject-request', topic: 'data-subject-request', when: { gdprRight: true, automated: false } },
  { id: 'processing-notice', topic: 'processing-notice', when: { subjectOrText: PROCESSING_NOTICE } },
  { id: 'partner-sender', topic: 'partner', when: { senderKind: ['authority', 'company'] } },
  { id: 'general', topic: 'general', when: {} },
];

/** Consumer mail providers common in Denmark: their users are citizens. */
const CONSUMER_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.dk',
  'outlook.com',
  'outlook.dk',
  'live.com',
  'live.dk',
  'msn.com',
  'yahoo.com',
  'yahoo.dk',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'gmx.com',
  'gmx.net',
  'mail.dk',
  'jubii.dk',
  'ofir.dk',
  'sol.dk',
  'stofanet.dk',
  'get2net.dk',
  'youmail.dk',
  'webspeed.dk',
  'mail.tele.dk',
  'privat.dk',
  'tdcadsl.dk',
  'live.se',
  'hotmail.se',
];

/** Danish public authorities (state, regions, the largest municipalities, agencies). */
const AUTHORITY_DOMAINS = [
  'sst.dk',
  'sum.dk',
  'stps.dk',
  'dkma.dk',
  'laegemiddelstyrelsen.dk',
  'datatilsynet.dk',
  'digst.dk',
  'sundhedsdata.dk',
  'sundhed.dk',
  'borger.dk',
  'skat.dk',
  'sktst.dk',
  'politi.dk',
  'stm.dk',
  'ft.dk',
  'jm.dk',
  'im.dk',
  'uvm.dk',
  'ufm.dk',
  'em.dk',
  'fvm.dk',
  'fvst.dk',
  'mst.dk',
  'kl.dk',
  'regioner.dk',
  'regionh.dk',
  'rm.dk',
  'rsyd.dk',
  'rn.dk',
  'regionsjaelland.dk',
  'kk.dk',
  'aarhus.dk',
  'odense.dk',
  'aalborg.dk',
  'frederiksberg.dk',
  'esbjerg.dk',
  'randers.dk',
  'kolding.dk',
  'vejle.dk',
  'horsens.dk',
  'rigsarkivet.dk',
  'ombudsmanden.dk',
  'cfcs.dk',
  'fmi.dk',
  'forsvaret.dk',
];

export const DEFAULT_CONFIG: TriageConfig = {
  recipients: ['ssidatabeskyttelse@ssi.dk'],
  ownDomains: ['ssi.dk'],
  receivingHost: 'amazonses.com',
  reply: {
    enabled: true,
    from: 'ssidatabeskyttelse@ssi.dk',
    fromName: 'Statens Serum Institut',
    dedupWindowDays: 7,
    hourlyCap: 200,
    // A quarter of the global cap: gmail.com and hotmail.com carry most citizens' mail.
    domainHourlyCap: 50,
    aliases: [],
  },
  limits: {
    maxMailBytes: 40 * 1024 * 1024,
    maxTextChars: 200_000,
    previewChars: 400,
  },
  senders: {
    consumerDomains: CONSUMER_DOMAINS,
    authorityDomains: AUTHORITY_DOMAINS,
    companyDomains: [],
  },
  rules: DEFAULT_RULES,
  forward: {},
  forwardFrom: 'mailtriage@ssi.dk',
  calendar: {
    timeZone: 'Europe/Copenhagen',
    extraClosingDays: [],
  },
  retentionDays: 90,
};
