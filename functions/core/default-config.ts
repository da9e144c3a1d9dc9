import type { RoutingRule, TriageConfig } from './config.js';

// The default routing order (first match wins). The judgements behind `fraudReport`,
// `gdprRight` and the signals are in evidence.ts; every record lists the signals it rests on.
export const DEFAULT_RULES: RoutingRule[] = [
  // No backscatter and no routing of malware to people: scanning failures go first.
  { id: 'quarantine-verdict', topic: 'quarantine', when: { verdictFail: ['spam', 'virus'] } },
  // "Fraud SMS", as SSI asks citizens to write; not an out-of-office, an answer to our own
  // reply that quotes it, or someone who writes about smishing rather than reporting an SMS.
  {
    id: 'fraud-sms-subject',
    topic: 'fraud-sms',
    when: {
      signals: ['subject-fraud-phrase'],
      withoutSignals: [
        'reply-to-auto-reply',
        'fraud-campaign-warning',
        'researcher-data-request',
        'vendor-offer',
        'journalist-aktindsigt',
      ],
      automated: false,
    },
  },
  // Authorities and companies write encrypted; only they can read the content.
  { id: 'partner-encrypted', topic: 'partner', when: { encrypted: true } },
  // Most reports name no phrase: the SMS is pasted, forwarded or a screenshot.
  {
    id: 'fraud-sms-report',
    topic: 'fraud-sms',
    when: { fraudReport: true, automated: false },
  },
  // Only a person asking for their own data starts the GDPR clock; weak evidence is routed
  // here for review with confidence low.
  { id: 'data-subject-request', topic: 'data-subject-request', when: { gdprRight: true, automated: false } },
  { id: 'processing-notice', topic: 'processing-notice', when: { signals: ['processing-notice-letter'] } },
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
  forwardReplyTo: { citizen: false, unknown: false, authority: true, company: true },
  calendar: {
    timeZone: 'Europe/Copenhagen',
    extraClosingDays: [],
  },
  retentionDays: {
    default: 90,
    // Spam and viruses: two weeks to rescue a false positive, no longer.
    quarantine: 14,
    // Past the extended due date (three months, GDPR Art. 12(3)) with a month's margin.
    'data-subject-request': 120,
  },
  cases: {
    dueSoonWorkingDays: 5,
    // Three years: the general Danish limitation period (forældelsesloven § 3) for a claim
    // that a request was not answered.
    keepClosedDays: 3 * 365,
  },
};
