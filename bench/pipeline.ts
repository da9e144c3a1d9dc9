import { createTransport } from 'nodemailer';
import type { LocalPipeline } from '../local/pipeline.js';
import { queueDepth } from '../local/queue-inspection.js';
import { countHandlerOutput } from './handler-output.js';
import { inReplyToOf, type ReplyClock, startReplyClock } from './reply-clock.js';
import { type Figure, type Section, table } from './report.js';
import { fixed, percentileOfSorted, ratio, sleep } from './stats.js';

// Item 4: the local pipeline end to end — mails per second from SMTP accept to the reply
// in the SES emulator, and the p50 and p99 latency of one mail over the same path. The
// baseline measured in the same run is the SMTP stand-in's accept rate (S3 put + SNS
// publish per mail), so the ratio reads "end-to-end throughput as a share of intake".
// No target: informational.

export interface PipelineBenchOptions {
  /** Mails sent before measuring, not counted (JIT, connection pools, tables). */
  warmup: number;
  /** Mails sent one at a time, each after the previous one's reply: latency with no queue. */
  oneByOne: number;
  /** Mails sent as fast as the SMTP clients go: throughput and latency under load. */
  load: number;
  /** Concurrent SMTP clients (pooled nodemailer transports, one connection each). */
  clients: number;
}

const QUICK = process.env.BENCH_QUICK === '1';
const DEFAULTS: PipelineBenchOptions = QUICK
  ? { warmup: 4, oneByOne: 5, load: 60, clients: 4 }
  : { warmup: 12, oneByOne: 30, load: 400, clients: 4 };

/** Replies may not all be allowed by the default cap (200 an hour) in one run. */
const CONFIG_OVERRIDES = { reply: { hourlyCap: 100_000, domainHourlyCap: 100_000 } };
/** How often the SES emulator's store is read to check the reply clock against it. */
const STORE_POLL_MS = 3_000;
const REPLY_TIMEOUT_MS = 120_000;

/** Subjects that land in answered topics (fraud SMS, data-subject request, general), in turn. */
const SUBJECTS = ['Fraud SMS', 'Anmodning om indsigt', 'Spørgsmål om min vaccination', 'SV: svindel-sms'];

interface BenchMailSpec {
  address: string;
  messageId: string;
  subject: string;
  text: string;
}

/** One mail's times, performance.now() milliseconds. */
interface Timed {
  spec: BenchMailSpec;
  sentAt: number;
  acceptedAt: number;
  repliedAt: number;
}

export async function benchPipeline(options: PipelineBenchOptions = DEFAULTS): Promise<Section> {
  const title = '4. Local pipeline end to end';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loaded only now: the emulators are heavy, and the other sections do not need them.
  const { startLocalPipeline } = await import('../local/pipeline.js');

  const output = countHandlerOutput();
  let pipeline: LocalPipeline | undefined;
  let pollErrors = 0;
  try {
    const startBegan = performance.now();
    pipeline = await startLocalPipeline({
      ports: { smtp: 0, aws: 0, ses: 0, dynamodb: 0 },
      configOverrides: CONFIG_OVERRIDES,
      onPollError: () => {
        pollErrors++;
      },
    });
    const startMs = performance.now() - startBegan;
    const run = new PipelineRun(pipeline, startReplyClock(pipeline.clients.ses), options.clients);

    const warmup = await run.sendAll(mailSpecs('warmup', options.warmup));
    await run.clock.repliesTo(
      warmup.map((mail) => mail.spec.address),
      REPLY_TIMEOUT_MS,
    );
    await pipeline.emulators.clearSentMail();

    const oneByOne: Timed[] = [];
    for (const spec of mailSpecs('single', options.oneByOne)) oneByOne.push(await run.sendAndAwait(spec));

    const store = new StorePoll(pipeline, STORE_POLL_MS);
    const loadSpecs = mailSpecs('load', options.load);
    let load: Timed[];
    try {
      const sent = await run.sendAll(loadSpecs);
      await run.clock.repliesTo(
        loadSpecs.map((spec) => spec.address),
        REPLY_TIMEOUT_MS,
      );
      load = run.withReplies(sent);
    } finally {
      await store.stop();
    }

    const checks = await verify(pipeline, run.clock, [...oneByOne, ...load], options);
    checks.clockVsStore = store.compare(load, run.clock);
    checks.pollErrors = pollErrors;
    checks.handlerLogLines = output.lines;
    checks.handlerErrors = output.errors;
    assertSound(checks);
    return report(title, options, { startMs, oneByOne, load, checks });
  } finally {
    output.restore();
    await pipeline?.stop();
  }
}

/** Distinct citizens (each gets a reply) and unique Message-IDs, in answered topics. */
function mailSpecs(phase: string, count: number): BenchMailSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    address: `bench-${phase}-${i}@gmail.com`,
    messageId: `<bench-${phase}-${i}.${process.pid}@gmail.com>`,
    subject: SUBJECTS[i % SUBJECTS.length] as string,
    text: `Hej\n\nDette er henvendelse nummer ${i}.\n\nVenlig hilsen`,
  }));
}

class PipelineRun {
  private readonly mailbox: string;

  constructor(
    private readonly pipeline: LocalPipeline,
    readonly clock: ReplyClock,
    private readonly clients: number,
  ) {
    this.mailbox = pipeline.config.recipients[0] ?? '';
  }

  /** One SMTP client: a pooled transport with one connection. */
  private transport() {
    return createTransport({
      host: '127.0.0.1',
      port: this.pipeline.smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
    });
  }

  private async send(transport: ReturnType<PipelineRun['transport']>, spec: BenchMailSpec) {
    const sentAt = performance.now();
    await transport.sendMail({
      envelope: { from: spec.address, to: [this.mailbox] },
      from: spec.address,
      to: this.mailbox,
      subject: spec.subject,
      text: spec.text,
      messageId: spec.messageId,
    });
    return { spec, sentAt, acceptedAt: performance.now() };
  }

  /** Sends every mail through `clients` concurrent SMTP clients; the times of each accept. */
  async sendAll(specs: readonly BenchMailSpec[]): Promise<Omit<Timed, 'repliedAt'>[]> {
    const accepted: Omit<Timed, 'repliedAt'>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: this.clients }, async () => {
        const transport = this.transport();
        try {
          while (next < specs.length) {
            const spec = specs[next++] as BenchMailSpec;
            accepted.push(await this.send(transport, spec));
          }
        } finally {
          transport.close();
        }
      }),
    );
    return accepted;
  }

  /** Sends one mail and waits for its reply. */
  async sendAndAwait(spec: BenchMailSpec): Promise<Timed> {
    const transport = this.transport();
    try {
      const sent = await this.send(transport, spec);
      const reply = await this.clock.replyTo(spec.address, REPLY_TIMEOUT_MS);
      return { ...sent, repliedAt: reply.at };
    } finally {
      transport.close();
    }
  }

  withReplies(sent: readonly Omit<Timed, 'repliedAt'>[]): Timed[] {
    return sent.map((mail) => {
      const reply = this.clock.replies.get(mail.spec.address.toLowerCase());
      if (!reply) throw new Error(`no reply recorded for mail ${mail.spec.messageId}`);
      return { ...mail, repliedAt: reply.at };
    });
  }
}

/** What the SES emulator's store showed, read every `intervalMs` while the load ran. */
class StorePoll {
  private readonly snapshots: { began: number; ended: number; ids: Set<string> }[] = [];
  private running = true;
  private failedReads = 0;
  private readonly loop: Promise<void>;

  constructor(pipeline: LocalPipeline, intervalMs: number) {
    this.loop = (async () => {
      while (this.running) {
        const began = performance.now();
        try {
          const mail = await pipeline.emulators.sentMail();
          this.snapshots.push({
            began,
            ended: performance.now(),
            ids: new Set(mail.map((m) => m.messageId)),
          });
        } catch {
          // A check, not the measurement: a failed read leaves one snapshot out.
          this.failedReads++;
        }
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /**
   * Checks the reply clock against the store. A reply the clock timed at t must be in
   * every snapshot begun after t (else the clock is early); a reply in a snapshot that
   * ended at e was visible by e (so the clock is late by at most t − e).
   */
  compare(load: readonly Timed[], clock: ReplyClock): ClockVsStore {
    let early = 0;
    let lateByMs = 0;
    let seen = 0;
    for (const mail of load) {
      const reply = clock.replies.get(mail.spec.address.toLowerCase());
      if (!reply) continue;
      const first = this.snapshots.find((s) => s.ids.has(reply.sesMessageId));
      if (first) {
        seen++;
        lateByMs = Math.max(lateByMs, reply.at - first.ended);
      }
      if (this.snapshots.some((s) => s.began > reply.at && !s.ids.has(reply.sesMessageId))) early++;
    }
    const durations = this.snapshots.map((s) => s.ended - s.began);
    return {
      snapshots: this.snapshots.length,
      failedReads: this.failedReads,
      seen,
      early,
      lateByMs,
      slowestReadMs: durations.length > 0 ? Math.max(...durations) : 0,
    };
  }
}

interface ClockVsStore {
  snapshots: number;
  failedReads: number;
  /** Load replies found by some snapshot (the last ones may land after the last snapshot). */
  seen: number;
  /** Replies missing from a snapshot begun after the clock said they were sent: must be 0. */
  early: number;
  /** The most the clock ran behind a snapshot that already showed the reply (≤ 0 is ideal). */
  lateByMs: number;
  slowestReadMs: number;
}

interface Checks {
  repliesInStore: number;
  expectedReplies: number;
  threadedCorrectly: number;
  otherSends: number;
  topicRecords: number;
  expectedRecords: number;
  deadLetters: number;
  workQueues: number;
  clockVsStore?: ClockVsStore;
  pollErrors?: number;
  handlerLogLines?: number;
  handlerErrors?: number;
}

/** Every measured mail has exactly one reply in the store, threaded to it; nothing stuck. */
async function verify(
  pipeline: LocalPipeline,
  clock: ReplyClock,
  measured: readonly Timed[],
  options: PipelineBenchOptions,
): Promise<Checks> {
  const stored = await pipeline.emulators.sentMail();
  const byAddress = new Map<string, number>();
  let threadedCorrectly = 0;
  const expected = new Map(measured.map((mail) => [mail.spec.address.toLowerCase(), mail.spec.messageId]));
  for (const mail of stored) {
    const to = mail.envelope?.destinations ?? [];
    if (to.length !== 1) continue;
    const address = (to[0] as string).toLowerCase();
    if (!expected.has(address)) continue;
    byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
    const inReplyTo = inReplyToOf(mail.raw);
    if (
      inReplyTo === expected.get(address) &&
      clock.replies.get(address)?.sesMessageId === mail.messageId &&
      clock.replies.get(address)?.inReplyTo === inReplyTo
    ) {
      threadedCorrectly++;
    }
  }
  const once = [...expected.keys()].filter((address) => byAddress.get(address) === 1).length;

  const { sqs } = pipeline.clients;
  const queues = Object.entries(pipeline.resources.queues);
  let topicRecords = 0;
  let workQueues = 0;
  let deadLetters = 0;
  for (const [name, queue] of queues) {
    const depth = await queueDepth(sqs, queue.url);
    if (name.startsWith('topic-')) topicRecords += depth;
    else workQueues += depth;
    deadLetters += await queueDepth(sqs, queue.dlqUrl);
  }
  return {
    repliesInStore: once,
    expectedReplies: expected.size,
    threadedCorrectly,
    otherSends: clock.otherSends,
    topicRecords,
    expectedRecords: options.warmup + options.oneByOne + options.load,
    deadLetters,
    workQueues,
  };
}

/** The figures mean nothing unless every mail was answered once and nothing got stuck. */
class PipelineCheckFailed extends Error {
  override readonly name = 'PipelineCheckFailed';
}

function assertSound(checks: Checks): void {
  const problems = [
    checks.repliesInStore !== checks.expectedReplies &&
      `${checks.expectedReplies - checks.repliesInStore} measured mails without exactly one reply in the store`,
    checks.threadedCorrectly !== checks.expectedReplies &&
      `${checks.expectedReplies - checks.threadedCorrectly} replies not threaded to their mail`,
    checks.topicRecords !== checks.expectedRecords &&
      `${checks.topicRecords} TriageRecords for ${checks.expectedRecords} mails`,
    checks.deadLetters > 0 && `${checks.deadLetters} dead-lettered messages`,
    checks.workQueues > 0 && `${checks.workQueues} messages still on the function queues`,
    (checks.clockVsStore?.early ?? 0) > 0 &&
      `${checks.clockVsStore?.early} replies timed before the SES emulator's store had them`,
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new PipelineCheckFailed(`pipeline bench: ${problems.join('; ')}`);
}

interface Latency {
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

function latencyOf(mails: readonly Timed[]): Latency {
  const sorted = mails.map((mail) => mail.repliedAt - mail.acceptedAt).sort((a, b) => a - b);
  return {
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

function report(
  title: string,
  options: PipelineBenchOptions,
  run: { startMs: number; oneByOne: Timed[]; load: Timed[]; checks: Checks },
): Section {
  const { load, oneByOne, checks } = run;
  const firstSent = Math.min(...load.map((m) => m.sentAt));
  const firstAccept = Math.min(...load.map((m) => m.acceptedAt));
  const lastAccept = Math.max(...load.map((m) => m.acceptedAt));
  const lastReply = Math.max(...load.map((m) => m.repliedAt));
  const n = load.length;
  // Both rates start at the first accept, so their ratio is the share of the end-to-end
  // window the SMTP stand-in needed to take every mail.
  const acceptRate = n / ((lastAccept - firstAccept) / 1000);
  const endToEndRate = n / ((lastReply - firstAccept) / 1000);
  const loaded = latencyOf(load);
  const idle = latencyOf(oneByOne);
  const ms = (value: number) => `${fixed(value, 0)} ms`;
  const s = (value: number) => `${fixed(value / 1000, 1)} s`;
  const informational = 'none (informational)';
  const latencyFigure = (key: 'p50' | 'p99'): Figure => ({
    measure: `… latency per mail under that load, ${key}`,
    value: ms(loaded[key]),
    baseline: `one mail at a time, ${key}: ${ms(idle[key])}`,
    ratio: ratio(loaded[key] / idle[key]),
    target: informational,
    met: null,
  });
  const latencyCells = (latency: Latency) => [
    ms(latency.p50),
    ms(latency.p90),
    ms(latency.p99),
    ms(latency.min),
    ms(latency.max),
  ];

  const figures: Figure[] = [
    {
      measure: `Local pipeline end to end, SMTP accept → reply in the SES emulator (${n} mails, ${options.clients} SMTP clients)`,
      value: `${fixed(endToEndRate, 1)} mails/s`,
      baseline: `SMTP accept alone: ${fixed(acceptRate, 1)} mails/s`,
      ratio: ratio(endToEndRate / acceptRate),
      target: informational,
      met: null,
    },
    latencyFigure('p50'),
    latencyFigure('p99'),
  ];

  // Latency by when the mail was accepted: a queue that builds up shows as later mails waiting longer.
  const byAccept = [...load].sort((a, b) => a.acceptedAt - b.acceptedAt);
  const tenths = Array.from({ length: 10 }, (_, i) =>
    byAccept.slice(Math.floor((i * n) / 10), Math.floor(((i + 1) * n) / 10)),
  ).filter((part) => part.length > 0);
  const cvs = checks.clockVsStore;
  const details = [
    ...table(
      [
        'phase',
        'mails',
        'last accept',
        'last reply',
        'accept rate',
        'end-to-end rate',
        'p50',
        'p90',
        'p99',
        'min',
        'max',
      ],
      [
        [
          `under load (${options.clients} clients)`,
          String(n),
          s(lastAccept - firstAccept),
          s(lastReply - firstAccept),
          `${fixed(acceptRate, 1)} mails/s`,
          `${fixed(endToEndRate, 1)} mails/s`,
          ...latencyCells(loaded),
        ],
        ['one at a time', String(oneByOne.length), '—', '—', '—', '—', ...latencyCells(idle)],
      ],
    ),
    '',
    `Times are from the first SMTP accept of the load (the first send began ${ms(firstAccept - firstSent)} before it). ` +
      `Latency p50 by tenth of the load, in order of accept: ${tenths.map((part) => ms(latencyOf(part).p50)).join(', ')}.`,
    `Checks: ${checks.repliesInStore} of ${checks.expectedReplies} measured mails have exactly one reply in the SES ` +
      `emulator's store, ${checks.threadedCorrectly} of them with In-Reply-To equal to the mail's Message-ID and the ` +
      `SES message id the clock saw; ${checks.topicRecords} TriageRecords on the topic queues for ` +
      `${checks.expectedRecords} mails sent (warm-up included); ${checks.workQueues} messages left on the ` +
      `intake/replies/forwards queues; ${checks.deadLetters} in dead-letter queues; ${checks.pollErrors ?? 0} poller ` +
      `errors; ${checks.handlerErrors ?? 0} ERROR log lines among ${checks.handlerLogLines ?? 0} handler lines; ` +
      `${checks.otherSends} other SES sends (forwards).`,
    cvs
      ? `Reply clock against the store (${cvs.snapshots} reads of \`sentMail()\`, one every ${STORE_POLL_MS} ms, slowest ${ms(cvs.slowestReadMs)}` +
        `${cvs.failedReads > 0 ? `, ${cvs.failedReads} failed` : ''}): ` +
        `${cvs.seen} of ${n} load replies were in a read; ${cvs.early} were missing from a read begun after the clock timed them; ` +
        `the clock never ran more than ${ms(Math.max(0, cvs.lateByMs))} behind a read that already showed the reply.`
      : '',
    `Start-up (emulators, resources, pollers, SMTP listener): ${ms(run.startMs)}.`,
  ];

  return {
    title,
    figures,
    // One paragraph each (a line straight after a table would read as one more row).
    details: details.filter(Boolean).flatMap((line, i, all) => {
      const next = all[i + 1];
      return next === undefined || (line.startsWith('|') && next.startsWith('|')) ? [line] : [line, ''];
    }),
    method: [
      '`startLocalPipeline()` from `local/pipeline.ts` in the bench process, everything on 127.0.0.1 with free ports: fauxqs (S3, SNS, SQS), aws-ses-v2-local (SES), dynalite (DynamoDB), the SMTP stand-in for SES inbound, and two pollers per function queue invoking the real handlers with batches of ten (the `npm start` defaults). Only the reply caps (`reply.hourlyCap`, `reply.domainHourlyCap`) are raised (to 100,000) so that every mail is answered. Emulators, handlers and SMTP clients share one Node process and the machine’s cores: these are not AWS figures.',
      `Each mail comes from a distinct citizen address (\`bench-<phase>-<n>@gmail.com\`, so each is answered) with a unique Message-ID, plain text, four subjects in turn that land in answered topics (fraud SMS, data-subject request, general); sent with nodemailer’s SMTP transport, pooled, one connection per client. Warm-up: ${options.warmup} mails, not counted.`,
      `One at a time: ${oneByOne.length} mails, each sent once the previous one’s reply was out — the latency of the path with no queue. Under load: ${n} mails through ${options.clients} concurrent clients, each sending its next mail as soon as the last was accepted.`,
      '**SMTP accept** is the moment `sendMail()` resolved: the stand-in answers 250 only after the S3 put and the SNS publish. **Reply in the SES emulator** is the moment the SES emulator answered the auto-reply function’s `SendRawEmail`, timed by a middleware on the pipeline’s SES client (`bench/reply-clock.ts`); the emulator has stored the mail by then. Its store records whole seconds only, so it is used as a check (above), not as the clock.',
      '**Throughput** = mails ÷ (last reply − first accept). **Baseline**: the SMTP accept rate in the same run, mails ÷ (last accept − first accept) — how fast the SMTP stand-in (S3 put + SNS publish per mail) took the mails while the rest of the pipeline ran behind it. The ratio is end-to-end throughput as a fraction of intake acceptance; it is at most 1, and near 1 means the pipeline behind SMTP kept up with intake.',
      `**Latency** per mail = reply − accept; p50 and p99 by nearest rank. The latency baseline is the one-at-a-time latency of the same run (with ${oneByOne.length} mails, its p99 is the highest).`,
    ],
  };
}
