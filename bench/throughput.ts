import { simpleParser } from 'mailparser';
import { composeReply } from '../functions/core/compose-reply.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { parseMail } from '../functions/core/parse.js';
import type { ReplyJob } from '../functions/core/queue-messages.js';
import { triage, triageParsed } from '../functions/core/triage.js';
import type { BenchMail, Corpus } from './corpus.js';
import { type Figure, type Section, table } from './report.js';
import { fixed, KIB, median, range, ratio } from './stats.js';

// Item 1: mails per second through what the product does to a mail (parse, triage, reply
// policy, and composing the reply when the policy says send) against mailparser's
// simpleParser alone on the same bytes.

export interface ThroughputOptions {
  rounds: number;
  /** Each side runs whole passes over the corpus until at least this long has passed. */
  measureMs: number;
  warmupMs: number;
}

/** Mails at least this large are few and dominate the time of a whole-corpus pass. */
const LARGE_MAIL_BYTES = 100 * KIB;
/** A fixed clock: deadlines, reply wording and Message-IDs are the same on every pass. */
const RECEIVED_AT = new Date('2026-11-25T10:00:00Z');

/** The receipt context triage gets for the mail at corpus index `index`. */
const receiptContext = (index: number) => ({ sesMessageId: `bench-${index}`, receivedAt: RECEIVED_AT });

interface Measurement {
  passes: number;
  elapsedMs: number;
  /** Time spent on each mail over all passes, by corpus index. */
  perMailMs: Float64Array;
}

type Pass = (mail: BenchMail, index: number) => Promise<void>;

/** Keeps results observable so no step can be optimised away. */
let sink = 0;

async function measure(mails: readonly BenchMail[], pass: Pass, minMs: number): Promise<Measurement> {
  const perMailMs = new Float64Array(mails.length);
  let passes = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < mails.length; i++) {
      const began = performance.now();
      await pass(mails[i] as BenchMail, i);
      perMailMs[i] = (perMailMs[i] as number) + performance.now() - began;
    }
    passes++;
  } while (performance.now() - start < minMs);
  return { passes, elapsedMs: performance.now() - start, perMailMs };
}

/** Mails per second over the mails at `indexes`, from the per-mail times of a measurement. */
function rate(m: Measurement, indexes: readonly number[]): number {
  let ms = 0;
  for (const i of indexes) ms += m.perMailMs[i] as number;
  return (m.passes * indexes.length) / (ms / 1000);
}

const baselinePass: Pass = async (mail) => {
  const parsed = await simpleParser(mail.raw);
  sink += parsed.attachments.length;
};

/** Compose time inside the triage passes, to report its share. */
let composeMs = 0;
let composed = 0;

const triagePass: Pass = async (mail, index) => {
  const { record, replyJob } = await triage(mail.raw, receiptContext(index), DEFAULT_CONFIG);
  sink += record.topic.length;
  if (replyJob) {
    const began = performance.now();
    sink += (await composeReply(replyJob, DEFAULT_CONFIG, RECEIVED_AT)).length;
    composeMs += performance.now() - began;
    composed++;
  }
};

export async function benchThroughput(corpus: Corpus, options: ThroughputOptions): Promise<Section> {
  const { mails } = corpus;
  const all = mails.map((_, i) => i);
  const small = all.filter((i) => (mails[i] as BenchMail).raw.length < LARGE_MAIL_BYTES);
  const large = all.filter((i) => (mails[i] as BenchMail).raw.length >= LARGE_MAIL_BYTES);
  const totalBytes = mails.reduce((sum, mail) => sum + mail.raw.length, 0);

  // Warm-up: the JIT needs a few seconds of both paths before the figures settle.
  await measure(mails, baselinePass, options.warmupMs);
  await measure(mails, triagePass, options.warmupMs);

  const rounds: { base: Measurement; triage: Measurement; composeShare: number; repliesPerPass: number }[] =
    [];
  for (let round = 0; round < options.rounds; round++) {
    // Alternate which side goes first, so a drift in machine speed hits both alike.
    composeMs = 0;
    composed = 0;
    let base: Measurement;
    let tri: Measurement;
    if (round % 2 === 0) {
      base = await measure(mails, baselinePass, options.measureMs);
      tri = await measure(mails, triagePass, options.measureMs);
    } else {
      tri = await measure(mails, triagePass, options.measureMs);
      base = await measure(mails, baselinePass, options.measureMs);
    }
    const triageMs = tri.perMailMs.reduce((sum, ms) => sum + ms, 0);
    rounds.push({
      base,
      triage: tri,
      composeShare: composeMs / triageMs,
      repliesPerPass: composed / tri.passes,
    });
  }

  const summarise = (indexes: number[]) => {
    const baseRates = rounds.map((r) => rate(r.base, indexes));
    const triageRates = rounds.map((r) => rate(r.triage, indexes));
    const ratios = triageRates.map((triageRate, i) => triageRate / (baseRates[i] as number));
    return {
      base: median(baseRates),
      triage: median(triageRates),
      ratio: median(ratios),
      ratioRange: range(ratios),
      baseRates,
      triageRates,
      ratios,
    };
  };
  const whole = summarise(all);
  const typical = summarise(small);
  const heavy = large.length > 0 ? summarise(large) : null;
  const split = await breakdown(
    small.map((i) => mails[i] as BenchMail),
    options.measureMs / 2,
  );

  const target = 0.8;
  const figures: Figure[] = [
    {
      measure: `Triage throughput, whole corpus (${mails.length} mails)`,
      value: `${fixed(whole.triage, 0)} mails/s`,
      baseline: `simpleParser ${fixed(whole.base, 0)} mails/s`,
      ratio: ratio(whole.ratio),
      target: `≥ ${target.toFixed(2)}×`,
      met: whole.ratio >= target,
    },
    {
      measure: `… mails under ${LARGE_MAIL_BYTES / KIB} KB only (${small.length} mails)`,
      value: `${fixed(typical.triage, 0)} mails/s`,
      baseline: `simpleParser ${fixed(typical.base, 0)} mails/s`,
      ratio: ratio(typical.ratio),
      target: `≥ ${target.toFixed(2)}× (same runs)`,
      met: typical.ratio >= target,
    },
  ];

  const perRound = rounds.map((r, i) => [
    String(i + 1),
    ...[whole, typical].flatMap((side) => [
      fixed(side.baseRates[i] as number, 0),
      fixed(side.triageRates[i] as number, 0),
      ratio(side.ratios[i] as number),
    ]),
    `${fixed(r.composeShare * 100, 0)} %`,
  ]);
  const details = [
    `Corpus: ${corpus.sources.map((s) => `${s.count} from \`${s.dir}\``).join(', ')}; ${(totalBytes / KIB / 1024).toFixed(1)} MiB in all.`,
    `The reply policy says send for ${fixed(rounds[0]?.repliesPerPass ?? 0, 0)} of the ${mails.length} mails: so many replies are composed per pass.`,
    '',
    ...table(
      [
        'round',
        'simpleParser, all (mails/s)',
        'triage, all',
        'ratio',
        `simpleParser, < ${LARGE_MAIL_BYTES / KIB} KB`,
        `triage, < ${LARGE_MAIL_BYTES / KIB} KB`,
        'ratio',
        'compose share of triage time',
      ],
      perRound,
    ),
    '',
    `Per-round ratio range: whole corpus ${ratio(whole.ratioRange.min)}–${ratio(whole.ratioRange.max)}, ` +
      `mails under ${LARGE_MAIL_BYTES / KIB} KB ${ratio(typical.ratioRange.min)}–${ratio(typical.ratioRange.max)}.`,
    heavy
      ? `The ${large.length} mails of ${LARGE_MAIL_BYTES / KIB} KB or more alone: triage ${fixed(heavy.triage, 1)} mails/s, ` +
        `simpleParser ${fixed(heavy.base, 1)} mails/s (${ratio(heavy.ratio)}): simpleParser also converts ` +
        `their text to HTML and links URLs, which triage skips; they are ${fixed((large.length / mails.length) * 100, 0)} % ` +
        "of the mails but most of a whole-corpus pass's time, so the whole-corpus ratio mostly measures them."
      : '',
    '',
    `Where the time of triage goes, mails under ${LARGE_MAIL_BYTES / KIB} KB, per mail (separate short runs):`,
    '',
    ...table(
      ['step', 'µs per mail', 'share'],
      split.steps.map((step) => [step.name, fixed(step.microsPerMail, 0), `${fixed(step.share * 100, 0)} %`]),
    ),
    '',
    `simpleParser on the same mails: ${fixed(split.simpleParserMicros, 0)} µs per mail. Without composing the reply ` +
      `(what intake does; the reply is composed by auto-reply), triage runs at ${ratio(split.simpleParserMicros / ((split.steps[0]?.microsPerMail ?? 0) + (split.steps[1]?.microsPerMail ?? 0)))} ` +
      `simpleParser's speed, and triageParsed alone costs ${fixed(((split.steps[1]?.microsPerMail ?? 0) / split.simpleParserMicros) * 100, 0)} % of simpleParser's time.`,
  ];

  return {
    title: '1. Triage throughput',
    figures,
    details: details.filter((line, i, list) => line !== '' || list[i - 1] !== ''),
    method: [
      'In-process, one mail at a time (as intake handles one S3 object at a time), each mail given as the Buffer read from disk.',
      'Triage side: `triage(raw, context, DEFAULT_CONFIG)` (parse with the streaming parser, then classification, sender, CPR, deadlines and the reply policy), then `composeReply(replyJob, DEFAULT_CONFIG, now)` when the policy says send. Baseline: `simpleParser(raw)` with its default options.',
      `Warm-up: ${options.warmupMs / 1000} s of each side, not counted. Then ${options.rounds} rounds; in each, each side makes whole passes over the corpus until ${options.measureMs / 1000} s have passed, the side going first alternating between rounds.`,
      'Figures are the median over rounds; the ratio is the median of the per-round ratios (both sides of a ratio ran back to back). The under-100 KB figures come from the same runs, from the time spent on those mails.',
    ],
  };
}

interface Step {
  name: string;
  microsPerMail: number;
  share: number;
}

/** Parse, classification and compose timed apart, to show where triage's time goes. */
async function breakdown(
  mails: BenchMail[],
  measureMs: number,
): Promise<{ steps: Step[]; simpleParserMicros: number }> {
  const parsed = await Promise.all(mails.map((mail) => parseMail(mail.raw, DEFAULT_CONFIG.limits)));
  const jobs = parsed
    .map((mail, i) => triageParsed(mail, receiptContext(i), DEFAULT_CONFIG).replyJob)
    .filter((job): job is ReplyJob => job !== null);

  const perMail = async (work: () => Promise<void> | void) => {
    let passes = 0;
    const start = performance.now();
    do {
      await work();
      passes++;
    } while (performance.now() - start < measureMs);
    return ((performance.now() - start) * 1000) / (passes * mails.length);
  };
  const parse = await perMail(async () => {
    for (const mail of mails) sink += (await parseMail(mail.raw, DEFAULT_CONFIG.limits)).sizeBytes;
  });
  const classify = await perMail(() => {
    for (let i = 0; i < parsed.length; i++)
      sink += triageParsed(parsed[i] as (typeof parsed)[number], receiptContext(i), DEFAULT_CONFIG).record
        .topic.length;
  });
  const compose = await perMail(async () => {
    for (const job of jobs) sink += (await composeReply(job, DEFAULT_CONFIG, RECEIVED_AT)).length;
  });
  const simpleParserMicros = await perMail(async () => {
    for (const mail of mails) sink += (await simpleParser(mail.raw)).attachments.length;
  });
  const total = parse + classify + compose;
  const steps: Step[] = [
    {
      name: 'parseMail (mailparser, streaming, attachments hashed)',
      microsPerMail: parse,
      share: parse / total,
    },
    {
      name: 'triageParsed (sender, classification, CPR, deadlines, reply policy)',
      microsPerMail: classify,
      share: classify / total,
    },
    {
      name: `composeReply (MailComposer; ${jobs.length} of ${mails.length} mails get a reply)`,
      microsPerMail: compose,
      share: compose / total,
    },
  ];
  return { steps, simpleParserMicros };
}

/** Read by nothing; exported so the results above stay live. */
export const throughputSink = () => sink;
