import { vocabulary } from './text-patterns.js';
import { GDPR_RIGHTS, type GdprRight } from './types.js';

// Which GDPR rights (arts. 15–21) a text names, from the Danish and English words people
// use for them (DOMAIN.md, Vocabulary): the formal terms, the public request templates'
// wording (the ICO's, datarequests.org's), and everyday Danish and English as people write
// on their phones. Whether the writer *asks* for a right is decided in request-evidence.ts.

/** How much of a body is read; requests say what they want near the top. */
export const BODY_LIMIT = 5_000;

const DA_DATA = '(?:person)?(?:oplysning(?:er|erne)?|data|persondata|informationer|journal)';
const MY = '(?:alle )?(?:mine|min|mit|vores)';
const MY_DATA = `${MY} ${DA_DATA}`;
const MY_DATA_EN = '(?:all )?(?:of )?(?:my|the) (?:personal )?(?:data|information|details|records?|file)';
const upTo = (n: number) => `(?:[\\p{L}\\p{N}'.-]+ ){0,${n}}`;

// In GDPR_RIGHTS order, which breaks ties between patterns matching at the same place.
const PATTERNS: ReadonlyArray<{ right: GdprRight; pattern: RegExp; weak?: boolean }> = [
  {
    right: 'access',
    pattern: vocabulary(
      // "aktindsigt" (the Offentlighedslov's access to documents) is not a GDPR request,
      // unless the writer asks for it into their own data, as citizens often put it.
      '(?<!akt-?)indsigt',
      `akt-?indsigt i ${upTo(2)}(?:mine|min|mit|oplysninger(?:ne)? om mig|de oplysninger)`,
      `hvilke (?:person)?oplysninger ${upTo(4)}om mig`,
      `hvilke (?:person)?oplysninger (?:i|ssi|der) (?:har|ligger|opbevarer|behandler|gemmer)`,
      `hvad ${upTo(5)}(?:om mig|registreret|gemt|opbevar)`,
      `har (?:i|ssi) ${upTo(4)}(?:om|fra|på) mig`,
      `vide,? (?:hvilke|hvad|om i) ${upTo(4)}(?:har|gemt|opbevar|registreret|bruger)`,
      `kopi af ${upTo(2)}${DA_DATA}`,
      `se ${MY_DATA}`,
      `udlever(?:e|ing|et)? (?:af )?${upTo(3)}(?:mine|min|mit|personoplysninger|oplysninger|data|journal)`,
      `få (?:udleveret|tilsendt|adgang til|en kopi|kopi|at vide,? hvad|at vide,? hvilke|oplyst) ${upTo(3)}(?:mine|min|mit|om mig|oplysninger)`,
      `adgang til ${MY_DATA}`,
      'registreret om mig',
      `what ${upTo(2)}(?:personal )?(?:data|information) ${upTo(7)}(?:about|on|concerning|regarding|of) me(?![\\p{L}])`,
      `what (?:do|does|did) ${upTo(3)}(?:know|have|hold|store|keep|register) (?:about|on) me(?![\\p{L}])`,
      `registreret om (?:en|sig) selv`,
      '(?:data )?(?:subject )?access requests?',
      'requests? for access',
      'request(?:ing)? access',
      `access to ${MY_DATA_EN}`,
      'right (?:of|to) access',
      `cop(?:y|ies) of ${MY_DATA_EN}`,
      'personal data concerning me',
      `(?:everything|anything|all|what) (?:that )?(?:you|ssi) (?:hold|have|store|keep|has|holds)s? ${upTo(2)}(?:about|on|concerning) me(?![\\p{L}])`,
      `cop(?:y|ies) of (?:everything|anything|all)`,
      `(?:any|all|what|which) (?:personal )?(?:data|information|records|details) ${upTo(3)}(?:about|on|concerning|regarding) me(?![\\p{L}])`,
      '(?:receive|get|have|obtain|request) a copy',
      '(?:modtage|få tilsendt|få) (?:en )?kopi',
      `(?:send|give|provide|email|e-mail) me ${upTo(3)}(?:my|the) (?:personal )?(?:data|information|records|file)`,
      `whether ${upTo(4)}process(?:es|ing)? (?:my|any) (?:personal )?data`,
    ),
  },
  {
    right: 'access',
    // "the data you hold about me" names the object of many requests, not only of access:
    // it counts only when no other right is named.
    weak: true,
    pattern: vocabulary(
      `(?:oplysninger|data) (?:som |der )?${upTo(4)}om mig`,
      `(?:data|information|records) ${upTo(4)}(?:hold|have|store|keep|process|processing|holding)(?:ing)? ${upTo(2)}(?:about|on|concerning|regarding) me(?![\\p{L}])`,
    ),
  },
  {
    right: 'access',
    // An abbreviation, so only as a whole upper-case word: "sar" and "Sarah" are not requests.
    pattern: /(?<![\p{L}\p{N}])SAR(?![\p{L}\p{N}])/gu,
  },
  {
    right: 'rectification',
    pattern: vocabulary(
      'berigtig',
      'rettelse',
      `ret(?:te|tes|tet)? ${upTo(1)}(?:mine|min|mit|fejlen|fejl|oplysning|adressen|navnet|stavningen)`,
      'korriger',
      `(?:rette|ret|ændre|opdatere) (?:det|dem|op|fejlen|adressen|navnet)`,
      '(?:gamle|forkerte) (?:adresse|navn|efternavn)',
      'byttet (?:rundt|om)',
      '(?:old|previous) address',
      `forkert(?:e)? ${upTo(1)}(?:person)?(?:oplysning|adresse|navn|fødselsdato|stavning|registrering|cpr|dato|køn|efternavn|fornavn|telefonnummer|data)`,
      '(?:er|står|blevet) (?:stavet |registreret |skrevet |angivet |noteret )?forkert',
      `fejl i ${upTo(1)}(?:mine|min|mit|registrering|oplysning|navn|adresse|journal)`,
      `(?:opdater|ændr)(?:e|es|ing)? ${upTo(1)}(?:mine|min|mit)`,
      'rectif(?:y|ied|ication)',
      `correct(?:ing|ion of|ed)? ${upTo(1)}(?:my|the) (?:personal )?(?:data|information|details|record|records|name|address|date|spelling)`,
      'inaccura(?:te|cy|cies)',
      'incorrect',
      '(?:is|are|was) (?:wrong|incorrect|out of date|outdated|misspelled|spelt wrong|spelled wrong)',
      'wrong(?:ly)? (?:address|name|date|information|details|spelling|spelled|spelt|recorded|registered)',
      'misspel',
      `update ${upTo(1)}(?:my|the) (?:personal )?(?:data|information|details|record|records|name|address)`,
      'change my (?:name|address|details|surname|last name)',
    ),
  },
  {
    right: 'erasure',
    pattern: vocabulary(
      // "slet ikke" is "not at all", not a request to delete.
      'slet(?:te|tes|tet|ter|ning|ningen|ningsanmodning)?(?![\\p{L}])(?!\\s+(?:ikke|ingen|intet|ik)(?![\\p{L}]))',
      'sletning',
      'blive glemt',
      `fjern(?:e|es|et|else)? ${upTo(2)}(?:mine|min|mit|mig|alle|oplysning|data|persondata|prøve|blodprøve)`,
      'destru(?:er|ere|eres|eret|ering|ktion)',
      `kasser(?:e|es|et|ing)? ${upTo(2)}(?:prøve|blodprøve|mine|min|mit)`,
      'tilintetgø',
      `(?:prøve|prøven|prøver|prøverne|blodprøve|blodprøven|blodprøver|oplysninger|oplysningerne|data) ${upTo(1)}(?:kasseret|destrueret|slettet|fjernet|makuleret)`,
      `smid(?:e|er|es)? ${upTo(4)}ud`,
      `smide ${upTo(4)}væk`,
      `(?:keep|keeping|store|storing) ${upTo(1)}(?:my|mine) ${upTo(1)}(?:sample|samples|blood|data|information)`,
      'makuler',
      'eras(?:e|ed|ing|ure)(?![\\p{L}])',
      'delet(?:e|ed|ing|ion)(?![\\p{L}])',
      'right to be forgotten',
      `remov(?:e|al|ed|ing) (?:of )?${upTo(2)}(?:my|me|all|the) `,
      `get rid of ${upTo(1)}(?:my|the|all)`,
      'destroy',
      `wipe ${upTo(1)}(?:my|the|all)`,
    ),
  },
  {
    right: 'restriction',
    pattern: vocabulary(
      `begræns(?:e|es|ning)? ${upTo(3)}(?:behandling|brug|anvendelse)`,
      `midlertidigt (?:stoppe|standse|indstille) ${upTo(3)}(?:behandling|brug)`,
      `restrict(?:ion|ing|ed)? (?:of |on )?${upTo(2)}(?:processing|use)`,
      `limit(?:ing|ation of)? ${upTo(2)}(?:processing|use) of my`,
      'stop processing my (?:personal )?data until',
      `(?:sætte|sæt|lægge|læg) ${upTo(2)}(?:på )?pause`,
      'på pause',
      `indtil ${upTo(4)}(?:afgjort|undersøgt|afklaret|rettet|løst|færdig)`,
      `freeze ${upTo(1)}(?:my|the|all)`,
      `(?:put|place) ${upTo(3)}on hold`,
      `until ${upTo(4)}(?:resolved|settled|decided|checked|corrected|finished)`,
    ),
  },
  {
    right: 'portability',
    pattern: vocabulary(
      'dataportabilitet',
      'portabilitet',
      'data\\s*portability',
      'maskinlæsbar',
      'machine-?readable',
      'struktureret,? (?:almindeligt|alment|bredt) (?:anvendt|brugt)',
      'structured,? commonly[- ]used',
      `eksport(?:ere|er|eret|en)? ${upTo(2)}(?:mine|min|mit)`,
      `export(?:ed|ing)? (?:of )?${upTo(2)}my `,
      `overfør(?:e|t|sel|es)? ${upTo(3)}(?:mine|min|mit) (?:person)?(?:data|oplysninger)`,
      `transfer ${upTo(3)}my (?:personal )?(?:data|information|records)`,
      '(?:som|i|as|in) (?:en |et |a )?(?:csv|json|xml)(?![\\p{L}])',
      '(?:csv|json)-?fil',
      '(?:excel|regneark|spreadsheet)',
      `export (?:of )?(?:all|everything)`,
    ),
  },
  {
    right: 'objection',
    pattern: vocabulary(
      '(?:gøre |gør )?indsigelse',
      'modsætte(?:r)? mig',
      'protest(?:ere|erer)? (?:mod|imod)',
      'frabede',
      `(?:ønsker|vil) ikke(?: have)?,? at ${upTo(6)}(?:bruges|anvendes|behandles|indgår|benyttes|opbevares|bliver brugt|bliver anvendt)`,
      `(?:stop|stoppe|hold op|holde op) (?:med )?(?:at )?(?:bruge|anvende|behandle|benytte)`,
      '(?:må|skal) ikke (?:længere )?(?:bruges|anvendes|behandles|indgå|benyttes)',
      'fravælg',
      'fravalg',
      'nej tak til',
      `trække? ${upTo(1)}samtykke tilbage`,
      'tilbagekald(?:e|er|else)? (?:af )?(?:mit )?samtykke',
      'object(?:ing|ion)? to',
      'i object',
      'objections?(?![\\p{L}])',
      'opt(?:ing)?[- ]out',
      `(?:do not|don't|dont) want ${upTo(1)}(?:my|our) ${upTo(5)}(?:used|processed|included|stored|kept)`,
      'stop (?:using|processing) (?:my|them|it)',
      `withdraw(?:ing|al of)? ${upTo(1)}consent`,
    ),
  },
];

// A GDPR article 15–22 next to the regulation's name: "art. 15 GDPR", "artikel 17 i
// databeskyttelsesforordningen", "Article 20 of the General Data Protection Regulation".
const ARTICLE_RIGHT: Record<string, GdprRight> = {
  '15': 'access',
  '16': 'rectification',
  '17': 'erasure',
  '18': 'restriction',
  '20': 'portability',
  '21': 'objection',
};
const REGULATION =
  '(?:gdpr|dsgvo|databeskyttelsesforordning\\p{L}*|persondataforordning\\p{L}*|general data protection regulation|data protection regulation|forordning\\p{L}*|2016/679)';
const ARTICLE_NUMBER = '(?:art(?:ikel|icle|\\.)?|§)\\s*(1[5-8]|2[01])(?!\\d)';
const ARTICLE = new RegExp(
  `(?<![\\p{L}])${ARTICLE_NUMBER}[^.\\n]{0,40}?${REGULATION}|${REGULATION}[^.\\n]{0,15}?${ARTICLE_NUMBER}`,
  'giu',
);

/** The right an article number names, when it stands next to the regulation's name. */
export function articleRight(text: string): GdprRight | null {
  for (const match of text.normalize('NFC').matchAll(ARTICLE)) {
    const right = ARTICLE_RIGHT[match[1] ?? match[2] ?? ''];
    if (right) return right;
  }
  return null;
}

// A list of rights after "Du har ret til …" / "You have the right to …" informs, as SSI's
// own letters and newsletters' privacy notes do; quoted, they must not look like requests.
const INFORMING_LEAD =
  /(?<![\p{L}])(?:du|de|hun|han|you|she|he|they|den registrerede|the data subject|borgere|citizens|man|one)\s+(?:har|have|has|kan|can|may)\s+(?:[\p{L}.]+\s+){0,3}?(?:ret(?:ten)?|rights?|anmode|bede|request|ask|få)(?![\p{L}])/giu;
// …unless the writer speaks for themselves or a new sentence starts before the mention.
const FIRST_PERSON = /(?<![\p{L}])(?:jeg|mig|min|mit|mine|my|me|myself)(?![\p{L}])/iu;
const NEW_SENTENCE = /[.!?]\s+\p{Lu}|\n\s*\n/u;
const INFORMING_REACH = 200;

function isInforming(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - INFORMING_REACH), index);
  let gapStart = -1;
  for (const lead of before.matchAll(INFORMING_LEAD)) gapStart = lead.index + lead[0].length;
  if (gapStart < 0) return false;
  const gap = before.slice(gapStart);
  return !FIRST_PERSON.test(gap) && !NEW_SENTENCE.test(gap);
}

// "ikke", "not", "don't" shortly before a right, in the same clause: "I do not want my
// data deleted", "jeg ønsker ikke sletning". Not when the writer only does not know or
// has not heard something ("I don't know what data you hold about me").
const NEGATOR =
  /(?<![\p{L}])(?:ikke|ik|aldrig|ingen|intet|hverken|not|never|no|don't|dont|doesn't|won't|without|uden)(?![\p{L}])/iu;
const NOT_KNOWING =
  /(?<![\p{L}])(?:ved|vidste|forstår|forstod|sikker|know|knew|understand|sure|aware|received|modtaget|hørt|heard|fået|svar|answer)(?![\p{L}])/iu;
const CLAUSE_BREAK = /[.!?;,:\n]|(?<![\p{L}])(?:men|but|however|dog|så)(?![\p{L}])/giu;
const NEGATION_REACH = 6;
// "Sletning – nej tak": refused after it.
const REFUSED_AFTER = /^[\s\p{P}]{0,4}(?:nej tak|no thanks|nej|no)(?![\p{L}])/iu;

// "jeg har slettet den", "I have deleted the app": what the writer did, not what they ask.
const DONE_BY_WRITER =
  /(?<![\p{L}])(?:jeg|vi|i|we|i've|we've)\s+(?:har|havde|have|had|has)\s+(?:\p{L}+\s+){0,2}$/iu;
const PAST_PARTICIPLE =
  /^(?:slettet|fjernet|destrueret|kasseret|rettet|deleted|erased|removed|destroyed|corrected)/iu;

function isNegated(text: string, index: number, length: number): boolean {
  if (REFUSED_AFTER.test(text.slice(index + length, index + length + 20))) return true;
  if (
    PAST_PARTICIPLE.test(text.slice(index, index + length)) &&
    DONE_BY_WRITER.test(text.slice(Math.max(0, index - 40), index))
  ) {
    return true;
  }
  const before = text.slice(Math.max(0, index - 60), index);
  let clauseStart = 0;
  for (const clauseBreak of before.matchAll(CLAUSE_BREAK))
    clauseStart = clauseBreak.index + clauseBreak[0].length;
  const clause = before.slice(clauseStart).trim().split(/\s+/).slice(-NEGATION_REACH).join(' ');
  return NEGATOR.test(clause) && !NOT_KNOWING.test(clause);
}

export interface RightMention {
  right: GdprRight;
  /** A phrase that names the object of a request more than the right itself. */
  weak: boolean;
  index: number;
  /** "do not delete": named, but not asked for. */
  negated: boolean;
  /** In a list of rights after "Du har ret til …": it informs, it does not ask. */
  informing: boolean;
}

/** Every right named in `text`, in order of appearance. */
export function rightMentions(text: string): RightMention[] {
  const mentions: RightMention[] = [];
  for (const { right, pattern, weak } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      mentions.push({
        right,
        weak: weak === true,
        index: match.index,
        negated: isNegated(text, match.index, match[0].length),
        informing: isInforming(text, match.index),
      });
    }
  }
  const order = (right: GdprRight) => GDPR_RIGHTS.indexOf(right);
  return mentions.sort((a, b) => a.index - b.index || order(a.right) - order(b.right));
}

/** The first right asked for (not negated), a strong phrase before a weak one. */
export function firstAsked(mentions: readonly RightMention[]): GdprRight | null {
  const asked = mentions.filter((mention) => !mention.negated);
  return (asked.find((mention) => !mention.weak) ?? asked[0])?.right ?? null;
}

function firstRightMentioned(text: string, skipInforming: boolean): GdprRight | null {
  return firstAsked(rightMentions(text).filter((mention) => !(skipInforming && mention.informing)));
}

/**
 * The GDPR right a mail names, or null. The subject is the sender's own summary, so a
 * right named there wins; otherwise the body's first mention counts.
 */
export function detectGdprRight(subject: string, text: string): GdprRight | null {
  return (
    firstRightMentioned(subject.normalize('NFC'), false) ??
    firstRightMentioned(text.slice(0, BODY_LIMIT).normalize('NFC'), true)
  );
}

// Words frequent in one language and rare in the other. Danish "I" (you, plural) is
// written like English "I"; the other words outweigh it.
const DANISH_WORDS = new Set([
  'og',
  'jeg',
  'ikke',
  'det',
  'er',
  'til',
  'på',
  'med',
  'har',
  'mine',
  'mig',
  'oplysninger',
  'hej',
  'venlig',
  'hilsen',
  'mvh',
  'tak',
]);
const ENGLISH_WORDS = new Set([
  'the',
  'and',
  'my',
  'me',
  'to',
  'of',
  'is',
  'you',
  'your',
  'please',
  'regards',
  'hello',
  'dear',
  'thank',
]);
const DANISH_LETTERS = /[æøå]/iu;
/** Fewer hits than this, or no clear lead, is too little to tell. */
const MIN_EVIDENCE = 2;
const MIN_LEAD = 1.5;

/** 'da' or 'en' by counting common words in the first 5,000 characters; 'unknown' when unclear. */
export function detectLanguage(text: string): 'da' | 'en' | 'unknown' {
  let danish = 0;
  let english = 0;
  const sample = text.slice(0, BODY_LIMIT).normalize('NFC');
  for (const [word] of sample.matchAll(/\p{L}+/gu)) {
    if (word === 'I') {
      english += 1;
      continue;
    }
    const lower = word.toLowerCase();
    if (DANISH_WORDS.has(lower) || DANISH_LETTERS.test(lower)) danish += 1;
    else if (ENGLISH_WORDS.has(lower)) english += 1;
  }
  if (danish >= MIN_EVIDENCE && danish >= english * MIN_LEAD) return 'da';
  if (english >= MIN_EVIDENCE && english >= danish * MIN_LEAD) return 'en';
  return 'unknown';
}
