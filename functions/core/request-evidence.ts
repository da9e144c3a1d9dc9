import { articleRight, BODY_LIMIT, firstAsked, type RightMention, rightMentions } from './gdpr-rights.js';
import type { Signal } from './signals.js';
import { flatten, matches, vocabulary } from './text-patterns.js';
import type { Confidence, GdprRight } from './types.js';
import { OWN_DATA } from './writer-role.js';

// Does a data subject ask for one of their GDPR rights? Naming a right is not asking for
// it: newsletters list rights, people ask how long a request takes, thank us for an answer,
// or say what they do *not* want. A request is a right named in the writer's own words
// together with wording that asks (or the article number), or a right named in the subject
// about the writer's own data. Weaker evidence goes to review (`low`), not to a deadline.

const REQUEST_WORDING = vocabulary(
  '(?:jeg|vi) (?:vil gerne|ønsker|anmoder|beder|kræver|forlanger|vil have|vil bede|skal bede|ville gerne|vil hermed|gør hermed|gør brug|benytter|ønsker hermed)',
  'anmod(?:er|ning|e)',
  'begær(?:er|ing)',
  'bede(?:r)? (?:om|jer)',
  'ønsker (?:at|hermed|jeg|hermed at|mine|min|mit)',
  'vil gerne',
  '(?:jeg|vi) (?:vil|ønsker|skal) ikke',
  "(?:i|we) (?:do not|don't|dont|no longer) want",
  '(?:vil|ville|skal) (?:jeg|vi) (?:gerne|bede)',
  'vil ha(?:ve)?(?![\\p{L}])',
  'kræver',
  'krav om',
  'vær (?:så )?venlig',
  'kan (?:jeg|vi) (?:få|bede)',
  'må (?:jeg|vi) (?:få|bede|se)',
  // "Kan I …?", "Vil I …?": asking us to do something.
  '(?:kan|vil|kunne|ville) (?:i|ssi|du) (?:venligst |ikke |så )?\\p{L}+',
  'send(?:e)? mig',
  'venligst',
  'hermed',
  'jf\\.',
  'i henhold til',
  'iht\\.',
  'jævnfør',
  '(?:skal|bør|må) (?:\\p{L}+ )?(?:slettes|rettes|fjernes|destrueres|udleveres|begrænses|kasseres|opdateres|ændres)',
  'gøre brug af',
  'med henvisning til',
  'slet (?:mine|min|mit|mig|alle|dem|det|venligst)',
  'ret (?:mine|min|mit)',
  'please',
  'kindly',
  "i(?:'d| would) like",
  'i (?:want|wish|request|am requesting|hereby|ask|am asking|demand|am writing to|need|require|expect)',
  '(?:could|can|would|will) you',
  '(?:can|may|could) i (?:get|have|receive|obtain|see|request|ask)',
  'under (?:article|art)',
  'pursuant to',
  'in accordance with',
  'exercis(?:e|ing) my',
  'my right (?:to|of)',
  'make a (?:subject access )?request',
  'this is a (?:subject access |formal )?request',
  '(?:should|must) be (?:deleted|erased|removed|corrected|destroyed|updated|restricted)',
);
// Questions about rights in general: how long, what it means, whether it applies.
const QUESTION = vocabulary(
  'hvor lang tid',
  'how long',
  'er det (?:rigtigt|korrekt|sandt)',
  'is it (?:true|correct|right)',
  'hvad (?:betyder|indebærer|er reglerne|gælder)',
  'what (?:does|is|are) (?:the|a|an)',
  'gælder (?:det|retten|reglerne)',
  'gælder (?:\\p{L}+ ){0,3}(?:for|overhovedet)',
  'har (?:jeg|man) ret til',
  'do (?:i|we|you) have (?:a|the) right',
  'hvilke rettigheder',
  'what (?:rights|are my rights)',
  'hvem skal (?:jeg|man)',
  'who (?:should|do) i',
);
// Questions about how to do it: a request in the making, for a person to look at.
const PROCESS_QUESTION = vocabulary(
  'hvordan (?:kan|gør|søger|anmoder|får|skal|beder) (?:jeg|man|vi)',
  'how (?:do|can|should|would) (?:i|one)',
  'hvor (?:kan|skal) (?:jeg|man)',
  'where (?:can|do|should) i',
  'hvilken (?:formular|blanket)',
  'is there a form',
  'is it possible',
  'er det muligt',
  'kan man (?:få|bede)',
  'can (?:one|you) (?:have|get|ask)',
  'what (?:is|would be) the process',
  'hvad er (?:proceduren|fremgangsmåden)',
);
const THANKS = vocabulary(
  'tak for (?:svar|svaret|jeres|dit|din|hjælpen|den|det|besked|hurtig)',
  'mange tak',
  'tusind tak',
  'thanks? (?:you )?for (?:your|the|handling|sending|getting)',
  'thank you so much',
  'thanks?(?![\\p{L}])',
  'thank you(?![\\p{L}])',
  'ok tak',
  'tak(?![\\p{L}])',
  'modtaget med tak',
);
/** Thanks count only near the start: a request may well end with "tak". */
const THANKS_REACH = 160;
// The formal names of the rights and of a request: naming one of these about one's own
// data is a request, phrased as one or not.
const FORMAL_REQUEST = vocabulary(
  'indsigtsanmodning',
  'indsigtsbegæring',
  'anmodning om (?:indsigt|berigtigelse|sletning|begrænsning|dataportabilitet|indsigelse)',
  'begæring om (?:indsigt|sletning)',
  'sletningsanmodning',
  '(?:data )?subject access request',
  'request for (?:access|rectification|erasure|deletion|restriction|portability)',
  '(?:access|erasure|deletion|rectification|portability) request',
  'right to (?:be forgotten|erasure|rectification|restriction|data portability|object)',
  'retten til (?:at blive glemt|indsigt|sletning|berigtigelse|dataportabilitet|indsigelse|begrænsning)',
  '(?:indsigt|sletning|berigtigelse|dataportabilitet|indsigelse|erasure|rectification|portability|objection)(?![\\p{L}])',
  'begrænsning af behandling',
  'restriction of processing',
);

/**
 * The specific right when a general one comes with it: "stop using it, but do not delete
 * it" is restriction though it starts like an objection; "a copy in Excel" is portability
 * though it starts like access.
 */
function preferredRight(named: readonly RightMention[]): GdprRight | null {
  const rights = new Set(named.map((mention) => mention.right));
  if (rights.has('restriction')) return 'restriction';
  if (rights.has('portability') && rights.has('access')) return 'portability';
  return null;
}

export interface RequestEvidence {
  signals: Signal[];
  right: GdprRight | null;
  /** `high`: a request; `low`: possibly one, for review; null: not a request. */
  confidence: Confidence | null;
}

const NONE: Omit<RequestEvidence, 'signals'> = { right: null, confidence: null };

/**
 * The request evidence of a mail a person wrote. `ownText` is what they wrote or forwarded,
 * without quoted reply history; `notADataSubject` comes from the writer's role.
 */
export function assessRequest(subject: string, ownText: string, notADataSubject: boolean): RequestEvidence {
  const subjectText = subject.normalize('NFC');
  const body = flatten(ownText.slice(0, BODY_LIMIT));
  const both = `${subjectText}\n${body}`;
  const signals: Signal[] = [];

  // The subject is the writer's own summary: a list there is theirs too.
  const subjectMentions = rightMentions(subjectText).map((mention) => ({ ...mention, informing: false }));
  const allBodyMentions = rightMentions(body);
  const bodyMentions = allBodyMentions.filter((mention) => !mention.informing);
  // A right the subject also refuses ("Sletning – vi ønsker IKKE sletning") is not asked for.
  const refused = new Set(
    subjectMentions.filter((mention) => mention.negated).map((mention) => mention.right),
  );
  const asked = (mentions: RightMention[]) =>
    mentions.filter((mention) => !mention.negated && !refused.has(mention.right));
  const article = articleRight(both);
  const named = [...asked(subjectMentions), ...asked(bodyMentions)];
  for (const right of new Set(named.map((mention) => mention.right))) signals.push(`right-phrase:${right}`);
  if (article) signals.push('gdpr-article-number');
  if (allBodyMentions.length > bodyMentions.length) signals.push('rights-listed-as-information');
  if ([...subjectMentions, ...bodyMentions].some((mention) => mention.negated)) signals.push('negated-right');
  if (named.length === 0 && !article) return { signals, ...NONE };

  const request = matches(REQUEST_WORDING, both);
  const ownData = matches(OWN_DATA, both);
  const processQuestion = matches(PROCESS_QUESTION, both);
  const question = processQuestion || matches(QUESTION, both);
  const thanks = matches(THANKS, subjectText) || matches(THANKS, body.slice(0, THANKS_REACH));
  const formal = matches(FORMAL_REQUEST, both);
  if (request) signals.push('request-wording');
  if (ownData) signals.push('own-data');
  if (question) signals.push('question-about-rights');
  if (thanks) signals.push('thanks-or-follow-up');
  if (notADataSubject) return { signals, ...NONE };

  // A specific right before a general one; then the subject, the writer's own summary; then
  // an article number; then the first right asked for in the body.
  const right =
    preferredRight(named) ?? firstAsked(asked(subjectMentions)) ?? article ?? firstAsked(asked(bodyMentions));
  if (right === null) return { signals, ...NONE };
  const inSubject = asked(subjectMentions).length > 0;

  if (thanks && !request) return { signals, ...NONE };
  if (question) {
    // "How long does an access request take?" asks about the process; "Can I get a copy
    // of my data?" asks for the writer's own data.
    if (request && ownData) return { signals, right, confidence: 'high' };
    const possible = ownData || processQuestion;
    return { signals, right: possible ? right : null, confidence: possible ? 'low' : null };
  }
  if (article || (request && (ownData || formal || inSubject))) return { signals, right, confidence: 'high' };
  if (formal && ownData) return { signals, right, confidence: 'high' };
  if (ownData || inSubject) return { signals, right, confidence: 'low' };
  return { signals, ...NONE };
}
