import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseRegister } from '../../functions/adapters/dynamodb-case-register.js';
import { EXIT, runCases } from '../../functions/cli/cases.js';
import { INTAKE_QUEUE_ENV, runReplay } from '../../functions/cli/replay.js';
import { caseReference } from '../../functions/core/case-reference.js';
import type { Case } from '../../functions/core/cases.js';
import { caseSenderHash } from '../../functions/core/sender-hash.js';
import { digestHandlerFrom } from '../../functions/digest/from-environment.js';
import { intakeHandlerFrom } from '../../functions/intake/from-environment.js';
import { ENV } from '../../functions/runtime/environment.js';
import { QUEUE_NAMES, TABLE_NAMES } from '../../functions/runtime/resource-names.js';
import type { SqsHandler } from '../../local/sqs-poller.js';
import { fixture } from '../support/fixtures.js';
import { capturedOutput, captureHandlerOutput, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

const OWNERS = ['dpo@ssi.dk', 'databeskyttelse-team@ssi.dk'];
const SARAH = 'sarah.k.miller@yahoo.com';
/** The SES id whose reference the follow-up fixture quotes (SSI-DB-2026-ARD7D-AKMS1). */
const ORIGINAL_ID = '0100019577a1c2d3-case-link-original-000000';
const QUOTED = caseReference(ORIGINAL_ID, 2026);
const ALLOWED_ATTRIBUTES = [
  'reference',
  'sesMessageId',
  'right',
  'receivedOn',
  'dueOn',
  'extensionNoticeBy',
  'extendedDueOn',
  'confidence',
  'status',
  'createdAt',
  'updatedAt',
  'rawMailKey',
  'senderHash',
  'history',
  'version',
  'expiresAt',
];

let pipeline: Pipeline;
let register: DynamoDbCaseRegister;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline({ configOverrides: { forward: { 'data-subject-request': OWNERS } } });
  register = new DynamoDbCaseRegister(pipeline.clients.dynamodb, TABLE_NAMES.cases);
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

async function items(): Promise<Array<Record<string, unknown>>> {
  const scan = await pipeline.clients.dynamodb.send(
    new ScanCommand({ TableName: TABLE_NAMES.cases, ConsistentRead: true }),
  );
  return (scan.Items ?? []).map((item) => unmarshall(item));
}

async function removeCase(reference: string): Promise<void> {
  await pipeline.clients.dynamodb.send(
    new DeleteItemCommand({ TableName: TABLE_NAMES.cases, Key: { reference: { S: reference } } }),
  );
}

describe('intake opens cases', () => {
  it('opens one case for the same notification three times, and for a replay of it, routing the mail once', async () => {
    const receivedAt = new Date('2026-03-05T09:15:00Z');
    const id = '0100019577a1c2d3-three-times-000000';
    for (let i = 0; i < 3; i++)
      await pipeline.receive('dsr-erasure-en.eml', { messageId: id, envelopeSender: SARAH, receivedAt });
    await pipeline.run('intake');
    const routed = await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'));
    expect(routed.map((record) => record.sesMessageId)).toEqual([id]);

    // A replay is a deliberate second run of intake: it routes again, but the case stays one.
    const replayed = await runReplay(
      ['--id', id],
      {
        [ENV.rawBucket]: pipeline.resources.bucket,
        [INTAKE_QUEUE_ENV]: pipeline.queueUrl(QUEUE_NAMES.intake),
      },
      { s3: pipeline.clients.s3, sqs: pipeline.clients.sqs },
      { stdout: () => {}, stderr: () => {} },
    );
    expect(replayed).toBe(0);
    await pipeline.run('intake');
    expect(await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'))).toHaveLength(1);

    const reference = routed[0]?.reference ?? '';
    const stored = (await items()).filter((item) => item.sesMessageId === id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      reference,
      right: 'erasure',
      receivedOn: '2026-03-05',
      dueOn: '2026-04-07',
      extensionNoticeBy: '2026-04-07',
      extendedDueOn: '2026-06-05',
      confidence: 'high',
      status: 'open',
      rawMailKey: `raw/${id}`,
      version: 1,
    });
    expect(stored[0]?.history).toHaveLength(1);
  });

  it('routes nothing when the case cannot be written, and routes the mail once with its case on the retry', async () => {
    const id = '0100019577a1c2d3-register-down-000000';
    await pipeline.receive('dsr-erasure-en.eml', {
      messageId: id,
      envelopeSender: SARAH,
      receivedAt: new Date('2026-03-06T09:15:00Z'),
    });
    // The register is unavailable for the first try (a table intake cannot write).
    const unavailable = intakeHandlerFrom(
      { ...pipeline.resources.functionEnv, [ENV.casesTable]: 'cases-unavailable' },
      pipeline.clients,
    );
    let tries = 0;
    const firstFails: SqsHandler = (event, context) =>
      tries++ === 0 ? unavailable(event, context) : pipeline.handlers.intake(event, context);
    const result = await pipeline.run('intake', firstFails);
    expect(result.failed).toBe(1);
    expect(tries).toBe(2);
    const routed = await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'));
    expect(routed.map((record) => record.sesMessageId)).toEqual([id]);
    const replies = (await pipeline.take(QUEUE_NAMES.replies)) as Array<{ sesMessageId: string }>;
    expect(replies.filter((job) => job.sesMessageId === id)).toHaveLength(1);
    expect((await register.get(routed[0]?.reference ?? ''))?.sesMessageId).toBe(id);
  });

  it('marks a possible request in the review lane as low confidence', async () => {
    const id = await pipeline.receive('dsr-possible-request-subject-only-da.eml', {
      receivedAt: new Date('2026-03-05T09:15:00Z'),
    });
    await pipeline.run('intake');
    const [record] = await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'));
    expect(record?.confidence).toBe('low');
    expect((await register.get(record?.reference ?? ''))?.confidence).toBe('low');
    expect((await register.get(record?.reference ?? ''))?.sesMessageId).toBe(id);
  });

  it('opens no case for other topics', async () => {
    const before = (await items()).length;
    await pipeline.receive('general-question-en.eml');
    await pipeline.receive('fraud-sms-en.eml');
    await pipeline.run('intake');
    expect((await items()).length).toBe(before);
  });

  it('keeps nothing in the table that identifies the sender: only the allowed attributes, no address, name or subject', async () => {
    const all = await items();
    expect(all.length).toBeGreaterThan(0);
    for (const item of all) {
      for (const key of Object.keys(item)) expect(ALLOWED_ATTRIBUTES).toContain(key);
      const text = JSON.stringify(item);
      expect(text).not.toMatch(/@/);
      for (const value of ['Sarah', 'Miller', 'Request to delete my personal data', 'study'])
        expect(text).not.toContain(value);
    }
  });
});

describe('a later mail quoting the reference', () => {
  const receivedAt = new Date('2026-03-05T09:15:00Z');
  const followUpAt = new Date('2026-03-09T08:12:44Z');

  it('is not linked to a case another sender opened', async () => {
    const other = (await import('../support/cases.js')).caseFrom;
    const { opened } = await other('dsr-access-with-cpr-da.eml', receivedAt.toISOString(), ORIGINAL_ID);
    const salt = pipeline.resources.functionEnv[ENV.replySalt] ?? '';
    const planted: Case = { ...opened, senderHash: caseSenderHash('someone.else@gmail.com', salt) };
    expect(planted.reference).toBe(QUOTED);
    expect(await register.open(planted)).toBe('opened');

    await pipeline.receive('dsr-follow-up-quoting-reference-en.eml', {
      messageId: 'follow-up-other-sender-000000',
      envelopeSender: SARAH,
      receivedAt: followUpAt,
    });
    await pipeline.run('intake');
    expect((await register.get(QUOTED))?.history.map((change) => change.what)).toEqual(['opened']);
    await removeCase(QUOTED);
  });

  it('is linked to the case its sender opened, once, and opens no new case', async () => {
    await pipeline.receive('dsr-erasure-en.eml', {
      messageId: ORIGINAL_ID,
      envelopeSender: SARAH,
      receivedAt,
    });
    await pipeline.run('intake');
    const opened = await register.get(QUOTED);
    expect(opened?.sesMessageId).toBe(ORIGINAL_ID);
    const before = (await items()).length;

    const followUp = 'follow-up-same-sender-000000';
    for (let i = 0; i < 2; i++) {
      await pipeline.receive('dsr-follow-up-quoting-reference-en.eml', {
        messageId: followUp,
        envelopeSender: SARAH,
        receivedAt: followUpAt,
      });
    }
    await pipeline.run('intake');
    const linked = await register.get(QUOTED);
    expect(linked?.history).toEqual([
      expect.objectContaining({ what: 'opened', sesMessageId: ORIGINAL_ID }),
      expect.objectContaining({ what: 'linked', sesMessageId: followUp, by: 'mail-triage' }),
    ]);
    expect(linked?.status).toBe('open');
    expect((await items()).length).toBe(before);
    // The follow-up is routed as ever: the link is bookkeeping, not a routing decision.
    const general = await pipeline.takeRecords(QUEUE_NAMES.topic('general'));
    expect(general.filter((record) => record.sesMessageId === followUp)).toHaveLength(1);
  });
});

describe('the morning digest', () => {
  const digestAt = (iso: string) =>
    digestHandlerFrom(pipeline.resources.functionEnv, pipeline.clients, () => new Date(iso));

  it('is skipped on Maundy Thursday 2027 and sent on the Tuesday after Easter, to the owners only', async () => {
    // Received 28 February 2027: due 29 March is Easter Monday, so the period ends Tuesday 30 March.
    const id = '0100019577a1c2d3-easter-000000';
    await pipeline.receive('dsr-erasure-en.eml', {
      messageId: id,
      envelopeSender: SARAH,
      receivedAt: new Date('2027-02-28T10:00:00Z'),
    });
    await pipeline.run('intake');
    const reference = caseReference(id, 2027);
    expect((await register.get(reference))?.dueOn).toBe('2027-03-30');
    await pipeline.emulators.clearSentMail();

    // 07:30 in Copenhagen: 06:30 UTC before the switch to summer time on 28 March, 05:30 after.
    expect(await digestAt('2027-03-25T06:30:00Z')()).toEqual({
      sent: false,
      today: '2027-03-25',
      reason: 'closing-day',
    });
    expect(await pipeline.emulators.sentMail()).toHaveLength(0);

    expect(await digestAt('2027-03-30T05:30:00Z')()).toMatchObject({ sent: true, today: '2027-03-30' });
    const sent = await pipeline.emulators.sentMail();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.envelope).toEqual({ source: 'mailtriage@ssi.dk', destinations: OWNERS });
    const mail = await simpleParser(sent[0]?.raw ?? '');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain(`${reference} | sletning (art. 17) | frist 2027-03-30 | frist i dag`);
    expect(mail.text).toContain(`${reference} | erasure (Art. 17) | due 2027-03-30 | due today`);
    // No personal data of any request in the digest.
    expect(mail.text).not.toMatch(/@/);
    for (const value of ['Sarah', 'Miller', 'Request to delete']) expect(mail.text).not.toContain(value);
  });

  it('sends nothing when nothing is due', async () => {
    await pipeline.emulators.clearSentMail();
    // Every case so far is due by mid-2027 at the latest, and far beyond five working days from this morning.
    const outcome = await digestAt('2026-01-05T06:30:00Z')();
    expect(outcome).toEqual({ sent: false, today: '2026-01-05', reason: 'nothing-due' });
    expect(await pipeline.emulators.sentMail()).toHaveLength(0);
  });

  it('reports open and overdue cases as metrics on every run', () => {
    const metrics = capturedOutput
      .filter((line) => line.includes('"OverdueCases"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(metrics.length).toBeGreaterThan(0);
    const last = metrics.at(-1);
    expect(last?.service).toBe('digest');
    expect(typeof last?.OpenCases).toBe('number');
    expect(capturedOutput.some((line) => line.includes('"DigestSent"'))).toBe(true);
  });
});

describe('npm run cases', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) },
    };
  };
  const deps = (iso: string) => ({
    register: () => register,
    now: () => new Date(iso),
    user: () => 'os-user',
  });
  const run = (argv: string[], iso: string, sink: ReturnType<typeof io>) =>
    runCases(argv, { [ENV.casesTable]: TABLE_NAMES.cases }, deps(iso), sink.io);

  it('lists open cases and shows one with its history', async () => {
    const list = io();
    expect(await run(['list', '--status', 'open'], '2026-03-20T09:00:00Z', list)).toBe(EXIT.ok);
    expect(list.out.some((line) => line.startsWith(QUOTED) && line.includes('due 2026-04-07'))).toBe(true);
    const show = io();
    expect(await run(['show', QUOTED.toLowerCase()], '2026-03-20T09:00:00Z', show)).toBe(EXIT.ok);
    expect(show.out.join('\n')).toContain('linked   by mail-triage mail follow-up-same-sender-000000');
  });

  it('refuses to extend after the notice date, saying why, and changes nothing', async () => {
    const sink = io();
    expect(await run(['extend', QUOTED, '--by', 'dpo-jl'], '2026-04-08T09:00:00Z', sink)).toBe(EXIT.refused);
    expect(sink.err.join('\n')).toContain('had to be told of an extension by 2026-04-07');
    expect((await register.get(QUOTED))?.status).toBe('open');
  });

  it('extends before the notice date and records who, when and what', async () => {
    const sink = io();
    expect(await run(['extend', QUOTED, '--by', 'dpo-jl'], '2026-04-01T09:00:00Z', sink)).toBe(EXIT.ok);
    expect(sink.out).toEqual([`${QUOTED} extended by dpo-jl: due 2026-04-07 → 2026-06-05`]);
    const extended = await register.get(QUOTED);
    expect(extended).toMatchObject({ status: 'extended', dueOn: '2026-06-05' });
    expect(extended?.history.at(-1)).toEqual({
      at: '2026-04-01T09:00:00.000Z',
      by: 'dpo-jl',
      what: 'extended',
      dueOn: { from: '2026-04-07', to: '2026-06-05' },
    });
  });

  it('closes a case as the OS user when no --by is given, then refuses to close it again', async () => {
    const sink = io();
    expect(await run(['close', QUOTED], '2026-05-02T09:00:00Z', sink)).toBe(EXIT.ok);
    const closed = await register.get(QUOTED);
    expect(closed?.status).toBe('closed');
    expect(closed?.history.at(-1)).toEqual({ at: '2026-05-02T09:00:00.000Z', by: 'os-user', what: 'closed' });
    expect(closed?.expiresAt).toBeGreaterThan(Date.parse('2029-01-01') / 1000);
    const again = io();
    expect(await run(['close', QUOTED], '2026-05-03T09:00:00Z', again)).toBe(EXIT.refused);
    expect(again.err).toEqual([`cases: ${QUOTED} is already closed`]);
  });

  it('fails clearly on an unknown case, a bad command line and an unreachable table', async () => {
    const missing = io();
    expect(await run(['show', 'SSI-DB-2026-AAAAA-AAAAA'], '2026-05-03T09:00:00Z', missing)).toBe(
      EXIT.refused,
    );
    expect(missing.err[0]).toBe('cases: no case SSI-DB-2026-AAAAA-AAAAA in table cases');
    const usage = io();
    expect(await run(['close', 'not-a-reference'], '2026-05-03T09:00:00Z', usage)).toBe(EXIT.usage);
    expect(usage.err[0]).toBe("cases: not a case reference: 'not-a-reference'");
    const noTable = io();
    expect(await runCases(['list'], {}, deps('2026-05-03T09:00:00Z'), noTable.io)).toBe(EXIT.usage);
    const elsewhere = new DynamoDbCaseRegister(pipeline.clients.dynamodb, 'no-such-table');
    const unavailable = io();
    expect(
      await runCases(
        ['list', '--table', 'no-such-table'],
        {},
        { ...deps('2026-05-03T09:00:00Z'), register: () => elsewhere },
        unavailable.io,
      ),
    ).toBe(EXIT.unavailable);
    expect(unavailable.err[0]).toContain(
      'the table no-such-table could not be read (ResourceNotFoundException',
    );
  });
});

describe('logs', () => {
  it('carry no personal data from intake, the digest or the register', async () => {
    expect(capturedOutput.some((line) => line.includes('"case opened"'))).toBe(true);
    expect(capturedOutput.some((line) => line.includes('"mail linked to case"'))).toBe(true);
    await assertNoPersonalData(capturedOutput);
    // The follow-up's sender wrote her name in the text: not in any line either.
    const followUp = fixture('dsr-follow-up-quoting-reference-en.eml').toString();
    expect(followUp).toContain('Sarah Miller');
    expect(capturedOutput.filter((line) => line.includes('Sarah'))).toEqual([]);
  });
});
