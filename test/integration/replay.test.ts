import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_QUEUE_ENV, runReplay } from '../../functions/cli/replay.js';
import { ENV } from '../../functions/runtime/environment.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { capturedOutput, captureHandlerOutput, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

let pipeline: Pipeline;
let restoreOutput: () => void;
/** Everything the command printed, checked for personal data at the end. */
const commandOutput: string[] = [];

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline({
    configOverrides: { forward: { general: ['borgerhenvendelser@ssi.dk'] } },
  });
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

const env = () => ({
  [ENV.rawBucket]: pipeline.resources.bucket,
  [INTAKE_QUEUE_ENV]: pipeline.queueUrl(QUEUE_NAMES.intake),
});

async function replay(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReplay(
    argv,
    env(),
    { s3: pipeline.clients.s3, sqs: pipeline.clients.sqs },
    { stdout: (line) => out.push(line), stderr: (line) => err.push(line) },
  );
  commandOutput.push(...out, ...err);
  return { code, out, err };
}

/** The replay command as an operator runs it, configured by the standard AWS variables only. */
async function replayBin(argv: string[]) {
  const { emulators } = pipeline;
  const child = await run('node_modules/.bin/tsx', ['functions/cli/replay-bin.ts', ...argv], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: emulators.region,
      AWS_ACCESS_KEY_ID: emulators.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulators.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_S3: emulators.endpoints.s3,
      AWS_ENDPOINT_URL_SQS: emulators.endpoints.sqs,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env(),
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
  commandOutput.push(child.stdout, child.stderr);
  return child;
}

async function repliesTo(address: string) {
  return (await pipeline.emulators.sentMail()).filter((mail) =>
    mail.envelope?.destinations.includes(address),
  );
}

async function forwards() {
  return (await pipeline.emulators.sentMail()).filter(
    (mail) => mail.envelope?.source === 'mailtriage@ssi.dk',
  );
}

/** The bodies waiting on the intake queue, left there (visible again after the test's receive). */
async function peekIntake(): Promise<Array<Record<string, unknown>>> {
  const { Messages = [] } = await pipeline.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: pipeline.queueUrl(QUEUE_NAMES.intake),
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return Messages.map((message) => JSON.parse(message.Body ?? 'null'));
}

describe('replay by SES message id', () => {
  it('routes a stored mail again, and still answers and forwards it once', async () => {
    await pipeline.emulators.clearSentMail();
    const citizen = 'peter.nielsen@icloud.com';
    const id = await pipeline.receive('general-question-da.eml', { envelopeSender: citizen });
    await pipeline.runAll();
    expect((await pipeline.takeRecords(QUEUE_NAMES.topic('general'))).map((r) => r.sesMessageId)).toEqual([
      id,
    ]);
    expect(await repliesTo(citizen)).toHaveLength(1);

    const result = await replay(['--id', id]);
    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out[0]).toBe(`replayed ${id}`);
    expect(result.out[1]).toMatch(/^1 mail replayed \(replay id replay-\d{8}T\d{6}Z-[0-9a-f]{6}\)$/);

    // What SNS would deliver for SES's notification: no verdicts, no envelope sender, a replay id.
    const [envelope] = await peekIntake();
    expect(envelope).toMatchObject({ Type: 'Notification' });
    const notification = JSON.parse(String(envelope?.Message));
    expect(notification).toEqual({
      notificationType: 'Received',
      mail: { timestamp: expect.any(String), messageId: id },
      receipt: { action: { type: 'S3', bucketName: pipeline.resources.bucket, objectKey: `raw/${id}` } },
      replayId: expect.stringMatching(/^replay-/),
    });

    await pipeline.runAll();
    const [again] = await pipeline.takeRecords(QUEUE_NAMES.topic('general'));
    expect(again?.sesMessageId).toBe(id);
    expect(again?.topic).toBe('general');
    expect(await repliesTo(citizen)).toHaveLength(1);
    expect(await forwards()).toHaveLength(1);
    expect(
      capturedOutput.some((line) => line.includes('"mail routed"') && line.includes(notification.replayId)),
    ).toBe(true);
  });

  it('refuses an unknown id with a one-line error naming it, exit 2, and replays none of the others', async () => {
    const known = await pipeline.receive('general-question-en.eml');
    await pipeline.run('intake');
    await pipeline.takeRecords(QUEUE_NAMES.topic('general'));
    const unknown = 'a0b1c2d3e4f5g6h7i8j9k0l1m2n3o4p5q6r7s8t9';

    const result = await replayBin(['--id', known, '--id', unknown]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `replay: no stored mail with SES message id '${unknown}' in s3://${pipeline.resources.bucket}/raw/`,
    ]);
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);
  });

  it('works from the standard AWS environment variables alone', async () => {
    const id = await pipeline.receive('partner-breach-notice-authority-da.eml');
    await pipeline.run('intake');
    await pipeline.takeRecords(QUEUE_NAMES.topic('partner'));

    const result = await replayBin(['--id', id]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[0]).toBe(`replayed ${id}`);
    await pipeline.run('intake');
    expect((await pipeline.takeRecords(QUEUE_NAMES.topic('partner'))).map((r) => r.sesMessageId)).toEqual([
      id,
    ]);
  });
});

describe('replay by time range', () => {
  it('replays exactly the mails stored in the range, oldest first', async () => {
    const before = await pipeline.receive('newsletter-precedence-bulk.eml');
    await sleep(25);
    const since = new Date();
    const first = await pipeline.receive('mailing-list-discussion.eml');
    await sleep(5);
    const second = await pipeline.receive('pgp-mime-company.eml');
    await sleep(25);
    const until = new Date();
    const after = await pipeline.receive('colleague-internal.eml');
    await pipeline.run('intake');
    for (const topic of ['general', 'partner'] as const) await pipeline.takeRecords(QUEUE_NAMES.topic(topic));
    const range = ['--since', since.toISOString(), '--until', until.toISOString()];

    const dry = await replay([...range, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toEqual([
      `would replay ${first}`,
      `would replay ${second}`,
      '2 mails would be replayed (dry run, nothing sent)',
    ]);
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);

    const result = await replay(range);
    expect(result.code).toBe(0);
    expect(result.out.slice(0, 2)).toEqual([`replayed ${first}`, `replayed ${second}`]);
    expect(result.out[2]).toMatch(/^2 mails replayed/);
    await pipeline.run('intake');
    const routed = [
      ...(await pipeline.takeRecords(QUEUE_NAMES.topic('general'))),
      ...(await pipeline.takeRecords(QUEUE_NAMES.topic('partner'))),
    ].map((record) => record.sesMessageId);
    expect(routed.sort()).toEqual([first, second].sort());
    expect(routed).not.toContain(before);
    expect(routed).not.toContain(after);
  });

  it('says so and exits 0 when no mail was stored in the range', async () => {
    const result = await replay(['--since', '2020-01-01T00:00:00Z', '--until', '2020-01-02T00:00:00Z']);
    expect(result).toEqual({
      code: 0,
      out: ['no stored mails from 2020-01-01T00:00:00.000Z until 2020-01-02T00:00:00.000Z'],
      err: [],
    });
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);
  });
});

describe('the command line', () => {
  it.each([
    [['--id', 'abc', '--since', '2026-01-01'], 'give --id or --since/--until, not both'],
    [[], 'give --id or --since'],
    [['--since', 'yesterday'], "--since: not an ISO-8601 date-time: 'yesterday'"],
    [['--since', '2026-02-01', '--until', '2026-01-01'], '--since must be before --until'],
    [['--id', '../config/x'], "--id: not an SES message id: '../config/x'"],
    [['--id', 'abc', '--verbose'], "Unknown option '--verbose'"],
  ])('rejects %j with exit 2', async (argv, message) => {
    const result = await replay(argv);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toContain(message);
  });

  it('names the variable when no bucket or queue is given', async () => {
    const out: string[] = [];
    const code = await runReplay(
      ['--id', 'abc'],
      {},
      { s3: pipeline.clients.s3, sqs: pipeline.clients.sqs },
      { stdout: (line) => out.push(line), stderr: (line) => out.push(line) },
    );
    expect(code).toBe(2);
    expect(out).toEqual(['replay: no bucket: give --bucket or set RAW_BUCKET']);
  });

  it('prints ids only: no address, subject or name of any mail', async () => {
    expect(commandOutput.length).toBeGreaterThan(0);
    await assertNoPersonalData(commandOutput.flatMap((text) => text.split('\n')));
    await assertNoPersonalData(capturedOutput);
  });
});
