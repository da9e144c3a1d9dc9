import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { intakeHandlerFrom } from '../../functions/intake/from-environment.js';
import { ENV } from '../../functions/runtime/environment.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { awsClientConfig } from '../../local/emulators.js';
import { fixture } from '../support/fixtures.js';
import { FaultInjectingHandler, type FaultPlan, observe, s3Error } from './fault-injection.js';
import { capturedOutput, captureHandlerOutput, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

// Intake tags each stored mail with its topic, and the bucket's lifecycle rules expire mail
// by that tag. The S3 emulator (fauxqs) has no object tagging: it takes PutObjectTagging
// for a PutObject and overwrites the mail with the tagging XML. So a successful tag cannot
// be shown here (the stack tests assert the permission and the lifecycle rules that read
// the tag). What can be shown with the real clients: the local pipeline never tags, and a
// tag that S3 refuses neither fails nor repeats the routing, and leaves the mail as stored.

let pipeline: Pipeline;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

/** One line per request the intake's S3 and SQS clients made, in the order they made them. */
type Step = { service: 's3' | 'sqs'; method: string; path: string; queueUrl?: string };

/** An intake handler on the emulators with the given environment, its requests recorded. */
function recordedIntake(env: Record<string, string>, s3Plan: FaultPlan) {
  const steps: Step[] = [];
  const s3 = new FaultInjectingHandler(pipeline.clients.s3.config.requestHandler, (request) => {
    steps.push({ service: 's3', method: request.method, path: request.path });
    return s3Plan(request);
  });
  const sqs = new FaultInjectingHandler(pipeline.clients.sqs.config.requestHandler, (request) => {
    steps.push({ service: 'sqs', method: request.method, path: request.path, queueUrl: request.queueUrl });
    return undefined;
  });
  const handler = observe(
    intakeHandlerFrom(env, {
      ...pipeline.clients,
      s3: new S3Client({ ...awsClientConfig(pipeline.emulators, 's3'), requestHandler: s3 }),
      sqs: new SQSClient({ ...awsClientConfig(pipeline.emulators, 'sqs'), requestHandler: sqs }),
    }),
  );
  return { steps, ...handler };
}

const objectPath = (id: string) => `/${pipeline.resources.bucket}/raw/${id}`;

async function storedBytes(id: string): Promise<Buffer> {
  const object = await pipeline.clients.s3.send(
    new GetObjectCommand({ Bucket: pipeline.resources.bucket, Key: `raw/${id}` }),
  );
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

describe('retention tags on stored mail', () => {
  it('are not set by the local pipeline, whose S3 emulator would overwrite the mail', async () => {
    const id = await pipeline.receive('general-question-da.eml', { envelopeSender: 'anne@example.dk' });
    const intake = recordedIntake(pipeline.resources.functionEnv, () => undefined);

    await pipeline.run('intake', intake.handler);

    expect(intake.invocations.flatMap((invocation) => invocation.failed)).toEqual([]);
    expect(intake.steps.filter((step) => step.service === 's3' && step.method === 'PUT')).toEqual([]);
    expect(intake.steps).toContainEqual({ service: 's3', method: 'GET', path: objectPath(id) });
    expect((await storedBytes(id)).equals(fixture('general-question-da.eml'))).toBe(true);
    await pipeline.take(QUEUE_NAMES.topic('general'));
    await pipeline.take(QUEUE_NAMES.replies);
  });

  it('are asked for once per mail after it is routed, and a refusal neither fails nor repeats the routing', async () => {
    const ids = {
      quarantine: await pipeline.receive('quarantine-virus.eml', { verdicts: { virus: 'FAIL' } }),
      general: await pipeline.receive('general-question-en.eml', { envelopeSender: 'sam@example.org' }),
    };
    const accessDenied: FaultPlan = (request) =>
      request.method === 'PUT' ? s3Error('AccessDenied', 'Access Denied', 403) : undefined;
    const intake = recordedIntake(
      { ...pipeline.resources.functionEnv, [ENV.tagRawMail]: 'true' },
      accessDenied,
    );

    await pipeline.run('intake', intake.handler);

    expect(intake.invocations).toHaveLength(1);
    expect(intake.invocations[0]?.failed).toEqual([]);
    for (const [topic, id] of Object.entries(ids)) {
      const records = (await pipeline.take(
        QUEUE_NAMES.topic(topic as TriageRecord['topic']),
      )) as TriageRecord[];
      expect(records.map((record) => record.sesMessageId)).toEqual([id]);

      const topicQueue = pipeline.queueUrl(QUEUE_NAMES.topic(topic as TriageRecord['topic']));
      const routed = intake.steps.findIndex((step) => step.queueUrl === topicQueue);
      const tags = intake.steps.flatMap((step, i) =>
        step.service === 's3' && step.method === 'PUT' && step.path === objectPath(id) ? [i] : [],
      );
      expect(tags).toHaveLength(1);
      expect(routed).toBeGreaterThanOrEqual(0);
      expect(tags[0]).toBeGreaterThan(routed);
    }
    await pipeline.take(QUEUE_NAMES.replies);
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.intake, true)).toBe(0);
    expect((await storedBytes(ids.quarantine)).equals(fixture('quarantine-virus.eml'))).toBe(true);

    const warnings = capturedOutput
      .filter((line) => line.includes('retention tag not set'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings.map((w) => [w.level, w.sesMessageId, w.errorName, w.httpStatus]).sort()).toEqual(
      Object.values(ids)
        .map((id) => ['WARN', id, 'AccessDenied', 403])
        .sort(),
    );
    // One EMF document per invocation; Powertools lists a metric added twice as [1, 1].
    const failedTags = capturedOutput
      .filter((line) => line.includes('"RetentionTagFailed"'))
      .flatMap((line) => [(JSON.parse(line) as { RetentionTagFailed: number | number[] }).RetentionTagFailed])
      .flat();
    expect(failedTags.reduce((sum, n) => sum + n, 0)).toBe(2);
    await assertNoPersonalData(capturedOutput);
  });
});
