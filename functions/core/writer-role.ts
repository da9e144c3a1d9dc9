import type { Signal } from './signals.js';
import { matches, vocabulary } from './text-patterns.js';
import type { SenderKind } from './types.js';

// Who is writing, and for whom. A data subject asks about their own data (or their
// child's); a journalist asking for documents under offentlighedsloven, a researcher asking
// for data for a study, an authority passing on someone else's request or a vendor
// selling GDPR tools names the same rights without being a data subject asking.

// Aktindsigt under offentlighedsloven: access to an authority's documents, not to one's
// own personal data (which citizens sometimes also call aktindsigt — see OWN_DATA).
const JOURNALIST = vocabulary(
  'offentlighedslov',
  'journalist',
  'til brug for en artikel',
  'redaktion',
  'dagblad',
  'nyhedsredaktion',
  'freedom of information',
  'foi request',
  'access to documents',
  'for an article',
  'for a story',
);
// Aktindsigt with no word of the writer's own data asks for an authority's documents.
const DOCUMENT_REQUEST = vocabulary('aktindsigt');
const RESEARCHER = vocabulary(
  'forsker(?:e|gruppe|ne)?(?![\\p{L}])',
  'forskningsprojekt',
  'forskningsformål',
  'til (?:et |mit |vores )?(?:forsknings)?(?:projekt|studie|speciale|ph\\.?d)',
  'ph\\.?d',
  'speciale',
  '(?:skriver|skrive) (?:en |min |vores )?(?:opgave|bachelor|afhandling|artikel)',
  'studerende',
  'læser (?:jura|medicin|til)',
  '(?:student|thesis|dissertation|assignment|coursework)(?![\\p{L}])',
  'research(?:er|ers| project| purposes| study)',
  'our study',
  'for a study',
  'for my thesis',
  'dataudtræk',
  'registerdata',
  'registerforskning',
  'data extract',
  'kohorte',
  'cohort',
  'forskerservice',
  'sundhedsdatastyrelsen',
  'ansøgning om (?:adgang til )?data',
  'udlevering af data til',
  'anonymiserede data',
  'aggregated data',
  'aggregerede data',
);
const THIRD_PARTY = vocabulary(
  'en borger (?:har|som|der|beder|anmoder|ønsker)',
  'borgere (?:beder|anmoder|ønsker|der)',
  'borgeren (?:har|ønsker|anmoder|beder)',
  'den registrerede (?:har|ønsker|anmoder|beder)',
  'the data subject (?:has|wishes|requests|asked)',
  'a citizen (?:has|who|that)',
  'one of our (?:customers|clients|patients|members|users|citizens)',
  'en af vores (?:kunder|klienter|patienter|medlemmer|borgere)',
  'vi har modtaget en (?:anmodning|henvendelse|klage)',
  'we have received a (?:request|complaint)',
  'på vegne af (?:vores|en|min) (?:klient|kunde|borger|patient)',
  'on behalf of (?:our|a|my) (?:client|customer|citizen|patient)',
  'videresender hermed (?!min |mit |mine )',
  'oversender hermed (?!min |mit |mine )',
  'i forwarding',
  'herewith forward',
  'til jeres orientering',
  'klage(?:n)? (?:fra|over) (?:en )?borger',
  'complaint from a',
  '(?:for|på vegne af) (?:en |min )?(?:ven|veninde|kollega|nabo|bekendt)(?![\\p{L}])',
  '(?:for|on behalf of) (?:a|my) (?:friend|colleague|neighbour|neighbor)',
);
const VENDOR = vocabulary(
  'vores (?:løsning|platform|produkt|software|værktøj|system|ydelser|services)',
  'our (?:solution|platform|product|software|tool|services|team of)',
  'book (?:et|en|a) (?:møde|demo|call|meeting)',
  'gratis (?:demo|prøveperiode|webinar)',
  'free (?:demo|trial|webinar)',
  'webinar',
  'demo(?![\\p{L}])',
  'account (?:executive|manager)',
  'sales',
  'special offer',
  'compliance (?:tool|platform|software|solution)',
  'gdpr-compliance',
  'automatiser',
  'automate',
  'pris(?:er)? fra',
  'pricing',
  'unsubscribe',
  'afmeld',
  'databehandleraftale',
  'data processing agreement',
  'vores kunder',
  'our customers',
  'leverandør',
  '(?:our|my) (?:company|organisation|organization|firm)',
  '(?:vores|min) (?:virksomhed|organisation|forening)',
);
// The writer speaks of their own data, or of their child's (parental responsibility).
export const OWN_DATA = vocabulary(
  '(?:mine|min|mit) (?:egne? |gamle |nye )?(?:person)?(?:oplysninger|data|persondata|journal|prøve|blodprøve|prøver|blodprøver|registrering|sag|cpr|navn|efternavn|fornavn|adresse|fødselsdato|vaccination)',
  '(?:fra|af) mig(?![\\p{L}])',
  '(?:min|mit) (?:tidligere )?(?:anmodning|henvendelse|klage|brev|mail)',
  'my (?:previous |earlier )?(?:request|complaint|letter|e-?mail)',
  '(?:from|of) me(?![\\p{L}])',
  '(?:my|mine) (?:old |new |current )?(?:name|surname|address|date of birth|vaccination)',
  '(?:mine|min|mit|vores) (?:søns?|datters?|barns?|børns?|sønner|døtre|mors?|fars?|drengs?|piges?)(?![\\p{L}])',
  '(?:om|på|vedrørende|vedr\\.?|angående) mig(?![\\p{L}])',
  'mig selv',
  '(?:for|til) mig(?![\\p{L}])',
  'om (?:en|sig) selv',
  'jeg (?:har|er) (?:fået|været|blevet)',
  '(?:my|mine) (?:own )?(?:personal )?(?:data|information|details|records|record|file|sample|samples|blood)',
  '(?:my|our) (?:son|daughter|child|children|baby)',
  '(?:about|concerning|regarding|relating to|on) me(?![\\p{L}])',
  'myself',
  'i (?:was|have been) (?:tested|vaccinated|a patient|in)',
  'min (?:søn|datter|dreng|pige|baby|barn)',
  'mit barn',
  'mine børn',
);

export interface WriterRole {
  signals: Signal[];
  /** Someone other than a data subject asking about their own data. */
  notADataSubject: boolean;
}

export function assessWriterRole(text: string, senderKind: SenderKind): WriterRole {
  const signals: Signal[] = [];
  if (senderKind === 'authority') signals.push('sender-authority');
  if (senderKind === 'company') signals.push('sender-company');
  const ownData = matches(OWN_DATA, text);
  if (matches(JOURNALIST, text) || (matches(DOCUMENT_REQUEST, text) && !ownData)) {
    signals.push('journalist-aktindsigt');
  }
  if (matches(RESEARCHER, text) && !ownData) signals.push('researcher-data-request');
  if (matches(THIRD_PARTY, text) && !ownData) signals.push('third-party-request');
  if (matches(VENDOR, text) && !ownData) signals.push('vendor-offer');
  return { signals, notADataSubject: signals.length > 0 };
}
