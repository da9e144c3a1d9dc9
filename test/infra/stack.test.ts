import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { autoReplyEnvironment } from '../../functions/auto-reply/from-environment.js';
import { ConfigInvalid, configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { retentionDaysOf } from '../../functions/core/retention.js';
import { TOPICS } from '../../functions/core/types.js';
import { deliverEnvironment } from '../../functions/deliver/from-environment.js';
import { digestEnvironment } from '../../functions/digest/from-environment.js';
import { intakeEnvironment } from '../../functions/intake/from-environment.js';
import { ENV } from '../../functions/runtime/environment.js';
import { RETENTION_TAG_KEY } from '../../functions/runtime/resource-names.js';
import { buildApp } from '../../infra/build-app.js';
import { FUNCTION_TIMEOUTS, RUNTIME_ENVIRONMENT } from '../../infra/constructs/functions.js';
import { pascal } from '../../infra/constructs/queues.js';
import { ContextInvalid, MAX_TRIAGE_CONFIG_BYTES } from '../../infra/context.js';

// One synthesis (and one esbuild bundling) for the whole file: the stack with every
// option on. The other syntheses share its output directory, so CDK's asset cache
// serves them the same bundles.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const OUTDIR = mkdtempSync(join(tmpdir(), 'mail-triage-cdk-'));
/** The team's bundle budget (issue 6): 1.5 MB of .mjs per function, source map not counted. */
const MAX_BUNDLE_BYTES = 1_500_000;
const INIT_PROBE = fileURLToPath(new URL('../../bench/init-probe.ts', import.meta.url));
/** The committed configuration file with owners and other retention, as an operator writes it. */
const CONFIG = {
  ...JSON.parse(readFileSync(join(ROOT, cdkJson.context.configFile as string), 'utf8')),
  forward: { 'fraud-sms': ['security@ssi.dk'], 'data-subject-request': ['dpo-team@ssi.dk'] },
  retentionDays: { default: 60, 'fraud-sms': 30, 'data-subject-request': 150 },
};
const configFile = (config: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'mail-triage-config-')), 'triage.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
};
const CONTEXT = {
  ...cdkJson.context,
  configFile: configFile(CONFIG),
  alarmEmail: 'dpo-alarms@ssi.dk',
  maxQueueAgeMinutes: 45,
  intakeConcurrency: 12,
  activateRuleSet: true,
  // As the CLI does: records each function's bundle directory in the template.
  'aws:cdk:enable-asset-metadata': true,
};

const started = Date.now();
const built = await buildApp({ context: CONTEXT, outdir: OUTDIR });
built.app.synth();
const validationReport = readValidationReport();
const synthMs = Date.now() - started;
const template = Template.fromStack(built.stack);
const { stack } = built;

// biome-ignore lint/suspicious/noExplicitAny: assertions walk the synthesized CloudFormation JSON freely.
type Json = Record<string, any>;
const resources = template.toJSON().Resources as Record<string, Json>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const keyArn = { 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] };
const rawBucketId = logicalId(stack.storage.rawMail);
const ruleArn = {
  'Fn::Join': [
    '',
    [
      'arn:aws:ses:eu-west-1:',
      { Ref: 'AWS::AccountId' },
      ':receipt-rule-set/MailTriage-rule-set:receipt-rule/MailTriage-inbound',
    ],
  ],
};
const functionIds = {
  intake: logicalId(stack.functions.intake),
  autoReply: logicalId(stack.functions.autoReply),
  deliver: logicalId(stack.functions.deliver),
};
/** The digest is not fed by a queue, so it is kept apart from the SQS functions above. */
const digestId = logicalId(stack.functions.digest);

/** The statements of a function role's policies, resources as arrays. */
function statementsOf(functionId: string): Json[] {
  const roleId = resources[functionId]?.Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
    .map((s) => ({ ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat() }));
}
const withAction = (statements: Json[], action: string) =>
  statements.filter((s) => s.Action.includes(action));

function readValidationReport(): Json | null {
  const file = join(OUTDIR, 'validation-report.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

describe('synthesis', () => {
  it('synthesizes the stack, bundling the functions once, quickly', () => {
    expect(synthMs).toBeLessThan(45_000);
  });

  it('passes the cdk-nag AWS Solutions checks with no unacknowledged finding', () => {
    const violations = (validationReport?.pluginReports ?? []).flatMap((r: Json) => r.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('reports no error or warning annotations', () => {
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  it('gives every acknowledged cdk-nag finding a specific written reason', () => {
    const acknowledged = built.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    // CDK records a rule id without a plugin prefix as `Annotation::`; cdk-nag reads it so.
    expect(acknowledged.map(([id]) => id.replace(/^Annotation::/, '')).sort()).toEqual(
      [
        `AwsSolutions-IAM5[Resource::<${rawBucketId}.Arn>/raw/*]`,
        `AwsSolutions-IAM5[Resource::<${rawBucketId}.Arn>/raw/*]`,
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
      ].sort(),
    );
    for (const [, reason] of acknowledged) expect(reason.length).toBeGreaterThan(80);
  });

  it('runs cdk-nag on this app: a new finding fails synthesis', async () => {
    const app = await buildApp({
      context: { ...cdkJson.context, stackName: 'MailTriageNagCheck' },
      outdir: OUTDIR,
    });
    new Bucket(app.stack, 'UnloggedBucket', { enforceSSL: true });
    expect(() => app.app.synth()).toThrow(/AwsSolutions-S1/);
    const report = readValidationReport();
    const rules = (report?.pluginReports ?? []).flatMap((r: Json) =>
      r.violations.map((v: Json) => v.ruleName),
    );
    expect(rules).toContain('AwsSolutions-S1');
  });
});

describe('a bad setting', () => {
  it('fails synthesis naming the configuration file and field, before anything is built', async () => {
    const path = configFile({ recipients: ['not-an-address'] });
    const built = buildApp({ context: { ...cdkJson.context, configFile: path } });
    await expect(built).rejects.toThrow(ConfigInvalid);
    await expect(built).rejects.toThrow(
      `invalid configuration in ${path}: recipients[0]: Invalid email address`,
    );
  });

  it('fails synthesis on a context key that moved to the configuration file', async () => {
    await expect(buildApp({ context: { ...cdkJson.context, owners: {} } })).rejects.toThrow(ContextInvalid);
  });

  it('makes the CDK app exit with the message and no stack trace', () => {
    const path = configFile({ forward: { 'fraud-sms': ['not-an-address'] } });
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/app.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, configFile: path }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'x-')),
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `invalid configuration in ${path}: forward.fraud-sms[0]: Invalid email address`,
    );
  });
});

describe('storage', () => {
  const bucket = () => resources[rawBucketId]?.Properties;

  it('encrypts raw mail with the system key, which rotates and outlives the stack', () => {
    expect(bucket().BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
      },
    ]);
    const key = resources[logicalId(stack.storage.key)];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(key?.DeletionPolicy).toBe('Retain');
  });

  it('blocks public access, versions objects and logs access to its own log bucket', () => {
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket().VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket().LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(stack.storage.accessLogs) },
      LogFilePrefix: 'raw-mail/',
    });
    const logs = resources[logicalId(stack.storage.accessLogs)]?.Properties;
    expect(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(
      logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
  });

  it('expires raw mail tagged with its topic after that topic’s retention', () => {
    const rules = bucket().LifecycleConfiguration.Rules as Json[];
    const expected = { 'fraud-sms': 30, 'data-subject-request': 150, quarantine: 14, general: 60 };
    for (const [topic, days] of Object.entries(expected)) {
      expect(rules.filter((r) => r.TagFilters?.some((t: Json) => t.Value === topic))).toEqual([
        {
          Id: `expire-raw-mail-${topic}`,
          Prefix: 'raw/',
          TagFilters: [{ Key: RETENTION_TAG_KEY, Value: topic }],
          ExpirationInDays: days,
          Status: 'Enabled',
        },
      ]);
    }
    const { retentionDays } = configWithOverrides({ retentionDays: CONFIG.retentionDays }, DEFAULT_CONFIG);
    const tagged = rules.filter((r) => r.TagFilters);
    expect(tagged.map((r) => r.TagFilters[0].Value).sort()).toEqual([...TOPICS].sort());
    for (const rule of tagged) {
      expect(rule.ExpirationInDays).toBe(retentionDaysOf(retentionDays, rule.TagFilters[0].Value));
    }
  });

  it('keeps untagged raw mail as long as the longest-kept topic, and old versions one week', () => {
    const rules = bucket().LifecycleConfiguration.Rules as Json[];
    // S3 honours the shortest expiration of the rules that match: the rule for everything
    // must not cut a data-subject request's mail short.
    const everything = rules.filter((r) => !r.Prefix && !r.TagFilters && r.ExpirationInDays);
    expect(everything).toEqual([
      {
        Id: 'expire-raw-mail',
        ExpirationInDays: 150,
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    ]);
    for (const rule of rules) expect(rule.ExpirationInDays ?? 0).toBeLessThanOrEqual(150);
    expect(rules).toContainEqual({
      Id: 'remove-expired-delete-markers',
      ExpiredObjectDeleteMarker: true,
      Status: 'Enabled',
    });
  });

  it('lets only our SES receipt rule write, only under raw/, only over TLS', () => {
    const policy = ofType('AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === rawBucketId,
    )?.[1];
    const statements = policy?.Properties.PolicyDocument.Statement as Json[];
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Sid: 'OnlyOurSesReceiptRuleStoresMail',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [rawBucketId, 'Arn'] }, '/raw/*']] },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': ruleArn },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const logPolicy = ofType('AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === logicalId(stack.storage.accessLogs),
    )?.[1];
    expect(logPolicy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('retains the bucket, the tables and the salt when the stack is deleted', () => {
    for (const construct of [
      stack.storage.rawMail,
      stack.storage.accessLogs,
      stack.state.idempotency,
      stack.state.replyLog,
      stack.state.cases,
      stack.state.replySalt,
    ]) {
      expect(resources[logicalId(construct)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });
});

describe('SES receiving', () => {
  const rule = () => ofType('AWS::SES::ReceiptRule')[0]?.[1];
  const topicId = () => logicalId(stack.receiving.topic);

  it('has one rule for the configured recipients: scanning on, TLS required', () => {
    expect(ofType('AWS::SES::ReceiptRule')).toHaveLength(1);
    expect(rule()?.Properties.Rule).toMatchObject({
      Name: 'MailTriage-inbound',
      Enabled: true,
      Recipients: ['ssidatabeskyttelse@ssi.dk'],
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'MailTriage-rule-set' });
  });

  it('stores the mail under raw/ and announces it on the topic first, then stops the rule set', () => {
    expect(rule()?.Properties.Rule.Actions).toEqual([
      {
        S3Action: { BucketName: { Ref: rawBucketId }, ObjectKeyPrefix: 'raw/', TopicArn: { Ref: topicId() } },
      },
      { StopAction: { Scope: 'RuleSet' } },
    ]);
  });

  it('is created only after SES may write the bucket and publish to the topic', () => {
    const policyIds = Object.entries(resources)
      .filter(([, r]) => ['AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy'].includes(r.Type))
      .filter(
        ([, r]) => r.Properties.Bucket?.Ref === rawBucketId || r.Properties.Topics?.[0]?.Ref === topicId(),
      )
      .map(([id]) => id);
    expect(policyIds).toHaveLength(2);
    expect(rule()?.DependsOn).toEqual(expect.arrayContaining(policyIds));
  });

  it('publishes to an encrypted, TLS-only topic that only our rule may use', () => {
    expect(resources[topicId()]?.Properties.KmsMasterKeyId).toEqual(keyArn);
    const policy = ofType('AWS::SNS::TopicPolicy').find(
      ([, p]) => p.Properties.Topics[0].Ref === topicId(),
    )?.[1];
    const statements = policy?.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': ruleArn },
        },
      }),
    );
  });

  it('feeds the intake queue with the SNS envelope (raw delivery off)', () => {
    const subscriptions = ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'sqs');
    expect(subscriptions).toHaveLength(1);
    const [id, subscription] = subscriptions[0] ?? [];
    expect(subscription?.Properties).toMatchObject({
      Endpoint: { 'Fn::GetAtt': [logicalId(stack.queues.intake.queue), 'Arn'] },
      RawMessageDelivery: false,
      TopicArn: {
        'Fn::Join': ['', ['arn:aws:sns:eu-west-1:', { Ref: 'AWS::AccountId' }, ':MailTriage-mail-arrived']],
      },
    });
    expect(resources[topicId()]?.Properties.TopicName).toBe('MailTriage-mail-arrived');
    expect(subscription?.DependsOn).toContain(topicId());
    expect(id).toBeDefined();
  });

  it('lets SES and SNS use the system key only for our account and topic', () => {
    const statements = resources[logicalId(stack.storage.key)]?.Properties.KeyPolicy.Statement as Json[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'ses.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: {
          ArnEquals: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:aws:sns:eu-west-1:', { Ref: 'AWS::AccountId' }, ':MailTriage-mail-arrived'],
              ],
            },
          },
        },
      }),
    );
  });

  it('activates the rule set when asked, with a role that can do only that', () => {
    const [, activation] = ofType('Custom::SesActiveReceiptRuleSet')[0] ?? [];
    expect(JSON.parse(activation?.Properties.Create)).toMatchObject({
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: 'MailTriage-rule-set' },
    });
    expect(JSON.parse(activation?.Properties.Delete).parameters).toEqual({});
    const sesStatements = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ses:Set')));
    expect(sesStatements).toEqual([
      { Action: 'ses:SetActiveReceiptRuleSet', Effect: 'Allow', Resource: '*' },
    ]);
  });
});

describe('queues', () => {
  const queues = stack.queues.all();
  const queue = (construct: { node: { defaultChild?: unknown } }) =>
    resources[logicalId(construct)]?.Properties;

  it('has intake, one queue per topic, replies and forwards, each with its own DLQ', () => {
    expect(queues.map((q) => q.name)).toEqual([
      'intake',
      ...TOPICS.map((t) => `topic-${t}`),
      'replies',
      'forwards',
    ]);
    expect(ofType('AWS::SQS::Queue')).toHaveLength(2 * queues.length);
    for (const { queue: q, dlq } of queues) {
      expect(queue(q)?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(dlq), 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(queue(dlq)?.RedrivePolicy).toBeUndefined();
    }
  });

  it('keeps messages in every DLQ longer than in its source queue, which keeps them days, not weeks', () => {
    const days = (construct: { node: { defaultChild?: unknown } }) =>
      queue(construct)?.MessageRetentionPeriod / 86_400;
    for (const { name, queue: q, dlq } of queues) {
      // SQS's longest: a moved message keeps its first enqueue time, so the DLQ needs the margin.
      expect(days(dlq), name).toBe(14);
      expect(days(q), name).toBe(name.startsWith('topic-') ? 10 : 4);
      expect(days(dlq) - days(q), name).toBeGreaterThanOrEqual(4);
    }
  });

  it('encrypts every queue and DLQ with the system key and refuses plain HTTP', () => {
    for (const construct of queues.flatMap(({ queue: q, dlq }) => [q, dlq])) {
      const id = logicalId(construct);
      expect(resources[id]?.Properties.KmsMasterKeyId).toEqual(keyArn);
      const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
        p.Properties.Queues.some((q: Json) => q.Ref === id),
      );
      expect(policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('gives each consumer six times its function timeout to handle a message', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(3);
    for (const [, mapping] of mappings) {
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0];
      const fn = resources[mapping.Properties.FunctionName.Ref];
      expect(resources[queueId]?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * fn?.Properties.Timeout,
      );
    }
    expect(queue(stack.queues.intake.queue)?.VisibilityTimeout).toBe(
      6 * FUNCTION_TIMEOUTS.intake.toSeconds(),
    );
  });
});

describe('functions', () => {
  const fn = (id: string) => resources[id]?.Properties;

  it('run on arm64 with the newest Node.js runtime, bundled as source-mapped ES modules', () => {
    for (const id of Object.values(functionIds)) {
      expect(fn(id)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      expect(fn(id)?.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const assetDir = join(OUTDIR, resources[id]?.Metadata['aws:asset:path']);
      expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
    expect(fn(functionIds.intake)?.MemorySize).toBe(512);
    expect(fn(functionIds.deliver)?.MemorySize).toBe(512);
  });

  it('cap intake’s queue poller at the configured concurrency, without reserving any', () => {
    expect(fn(functionIds.intake)?.ReservedConcurrentExecutions).toBeUndefined();
    const [, mapping] =
      ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) => m.Properties.FunctionName.Ref === functionIds.intake,
      ) ?? [];
    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 12 });
  });

  it('reserve concurrency for the SES senders, and cap their queue pollers to match', () => {
    for (const id of [functionIds.autoReply, functionIds.deliver]) {
      expect(fn(id)?.ReservedConcurrentExecutions).toBe(2);
      const [, mapping] =
        ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName.Ref === id) ?? [];
      expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    }
  });

  it('take SQS batches of ten and report partial batch failures', () => {
    const consumers: Record<string, { queue: string; props: Json }> = Object.fromEntries(
      ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => [
        m.Properties.FunctionName.Ref,
        { queue: m.Properties.EventSourceArn['Fn::GetAtt'][0], props: m.Properties },
      ]),
    );
    expect(consumers[functionIds.intake]?.queue).toBe(logicalId(stack.queues.intake.queue));
    expect(consumers[functionIds.autoReply]?.queue).toBe(logicalId(stack.queues.replies.queue));
    expect(consumers[functionIds.deliver]?.queue).toBe(logicalId(stack.queues.forwards.queue));
    for (const { props } of Object.values(consumers)) {
      expect(props).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    }
  });

  it('get the environment the functions read, and only that', () => {
    const common = [
      ENV.config,
      ENV.idempotencyTable,
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'NODE_OPTIONS',
    ];
    const names = (id: string) => Object.keys(fn(id)?.Environment.Variables).sort();
    expect(names(functionIds.intake)).toEqual(
      [
        ...common,
        ENV.rawBucket,
        ENV.rawPrefix,
        ENV.topicQueues,
        ENV.repliesQueue,
        ENV.forwardsQueue,
        ENV.tagRawMail,
        ENV.casesTable,
        ENV.replySaltSecretArn,
      ].sort(),
    );
    expect(fn(functionIds.intake)?.Environment.Variables[ENV.tagRawMail]).toBe('true');
    expect(names(functionIds.autoReply)).toEqual(
      [...common, ENV.replyLogTable, ENV.replySaltSecretArn, ENV.repliesQueue].sort(),
    );
    expect(names(functionIds.deliver)).toEqual(
      [...common, ENV.rawBucket, ENV.rawPrefix, ENV.maxForwardBytes].sort(),
    );
    expect(names(digestId)).toEqual(
      [
        ENV.config,
        ENV.casesTable,
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(fn(digestId)?.Environment.Variables[ENV.casesTable]).toEqual({
      Ref: logicalId(stack.state.cases),
    });
    expect(fn(functionIds.intake)?.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('MailTriage');
    expect(fn(functionIds.intake)?.Environment.Variables[ENV.rawPrefix]).toBe('raw/');
  });

  it('set only variables that each function’s environment schema reads', () => {
    const runtime = ['POWERTOOLS_SERVICE_NAME', ...Object.keys(RUNTIME_ENVIRONMENT)];
    const schemas = {
      [functionIds.intake]: intakeEnvironment,
      [functionIds.autoReply]: autoReplyEnvironment,
      [functionIds.deliver]: deliverEnvironment,
      [digestId]: digestEnvironment,
    };
    for (const [id, schema] of Object.entries(schemas)) {
      const given = Object.keys(fn(id)?.Environment.Variables).filter((name) => !runtime.includes(name));
      expect(
        given.filter((name) => !(name in schema.in.shape)),
        id,
      ).toEqual([]);
    }
  });

  it('pass the configuration as small, valid overrides of the defaults', () => {
    const raw = fn(functionIds.intake)?.Environment.Variables[ENV.config] as string;
    expect(Buffer.byteLength(raw)).toBeLessThan(MAX_TRIAGE_CONFIG_BYTES);
    const config = configWithOverrides(JSON.parse(raw), DEFAULT_CONFIG);
    expect(config.forward).toEqual(CONFIG.forward);
    expect(config.retentionDays).toEqual({ ...DEFAULT_CONFIG.retentionDays, ...CONFIG.retentionDays });
    expect(config.rules).toEqual(DEFAULT_CONFIG.rules);
  });

  it('route each topic to its own queue', () => {
    const join = fn(functionIds.intake)?.Environment.Variables[ENV.topicQueues]['Fn::Join'][1] as Array<
      string | Json
    >;
    const map = JSON.parse(
      join.map((part) => (typeof part === 'string' ? part : `ref:${part.Ref}`)).join(''),
    );
    for (const topic of TOPICS) expect(map[topic]).toBe(`ref:${logicalId(stack.queues.topics[topic].queue)}`);
  });

  // Budgets the benchmark measures (npm run bench, docs/BENCHMARKS.md), enforced here so a
  // regression fails the suite: each bundle stays under its size, and loading it opens no
  // connection (a call at init would add a round trip to every cold start, or hang).
  it('stay within the bundle size budget', () => {
    for (const id of Object.values(functionIds)) {
      const bundle = join(OUTDIR, resources[id]?.Metadata['aws:asset:path'], 'index.mjs');
      expect(statSync(bundle).size, id).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    }
  });

  // The message schemas share one module (functions/core/queue-messages.ts); auto-reply
  // reads reply jobs only, and building the TriageRecord schema would cost its cold start.
  it('leave the TriageRecord schema out of auto-reply, which reads reply jobs only', () => {
    const bundleOf = (id: string) =>
      readFileSync(join(OUTDIR, resources[id]?.Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
    // Field names only the TriageRecord has: in deliver's bundle, which reads records, not in auto-reply's.
    for (const field of ['headerMessageId', 'matchedRule']) {
      expect(bundleOf(functionIds.deliver), field).toContain(field);
      expect(bundleOf(functionIds.autoReply), field).not.toContain(field);
    }
  });

  it('open no connection and resolve no name while loading', () => {
    for (const id of Object.values(functionIds)) {
      const bundle = join(OUTDIR, resources[id]?.Metadata['aws:asset:path'], 'index.mjs');
      const env = Object.fromEntries(
        Object.entries(fn(id)?.Environment.Variables as Json).map(([name, value]) => [
          name,
          fakeValue(value),
        ]),
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', INIT_PROBE, bundle, 'guard'], {
        env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      const probe = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
        handlerIsFunction?: boolean;
        networkAttempts?: string[];
      };
      expect(probe, id).toMatchObject({ handlerIsFunction: true, networkAttempts: [] });
    }
  });

  it('load from their bundles and answer an empty batch, given the stack environment', () => {
    const script = `
      const mod = await import(process.argv[1]);
      const result = await mod.handler({ Records: [] }, { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'test' });
      process.stdout.write(JSON.stringify(result));`;
    for (const id of Object.values(functionIds)) {
      const env = Object.fromEntries(
        Object.entries(fn(id)?.Environment.Variables as Json).map(([name, value]) => [
          name,
          fakeValue(value),
        ]),
      );
      const bundle = join(OUTDIR, resources[id]?.Metadata['aws:asset:path'], 'index.mjs');
      const run = spawnSync(
        process.execPath,
        ['--no-warnings', '--input-type=module', '-e', script, bundle],
        {
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'eu-west-1',
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            ...env,
          },
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    }
  });
});

/** A stand-in for a deploy-time value: queue URLs, ARNs and names that look the part. */
function fakeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = value as Json;
  if (json.Ref) {
    const type = resources[json.Ref]?.Type;
    if (type === 'AWS::SQS::Queue') return `https://sqs.eu-west-1.amazonaws.com/123456789012/${json.Ref}`;
    if (type === 'AWS::SecretsManager::Secret')
      return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${json.Ref}`;
    return json.Ref;
  }
  if (json['Fn::Join']) return (json['Fn::Join'][1] as unknown[]).map(fakeValue).join(json['Fn::Join'][0]);
  throw new Error(`no stand-in for ${JSON.stringify(value)}`);
}

describe('least privilege', () => {
  const rawObjects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [rawBucketId, 'Arn'] }, '/raw/*']] };

  it('gives every role its own inline policies, never an AWS-managed one', () => {
    for (const [, role] of ofType('AWS::IAM::Role'))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(ofType('AWS::IAM::ManagedPolicy')).toHaveLength(0);
  });

  it('lets functions write only their own log group, and use nothing on *', () => {
    for (const id of [...Object.values(functionIds), digestId]) {
      const statements = statementsOf(id);
      const logGroup = resources[id]?.Properties.LoggingConfig.LogGroup.Ref;
      expect(withAction(statements, 'logs:PutLogEvents')).toEqual([
        expect.objectContaining({ Resource: [{ 'Fn::GetAtt': [logGroup, 'Arn'] }] }),
      ]);
      for (const s of statements) {
        expect(s.Resource).not.toContain('*');
        for (const action of s.Action) expect(action).not.toContain('*');
      }
    }
  });

  it('reads raw mail only under raw/, and only in intake and deliver', () => {
    const s3Actions = (id: string) =>
      statementsOf(id)
        .flatMap((s) => s.Action)
        .filter((a: string) => a.startsWith('s3:'))
        .sort();
    for (const id of [functionIds.intake, functionIds.deliver]) {
      expect(withAction(statementsOf(id), 's3:GetObject')).toEqual([
        expect.objectContaining({ Resource: [rawObjects] }),
      ]);
    }
    expect(s3Actions(functionIds.intake)).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObjectTagging']);
    expect(s3Actions(functionIds.deliver)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(statementsOf(functionIds.autoReply).flatMap((s) => s.Action)).not.toContainEqual(
      expect.stringMatching(/^s3:/),
    );
  });

  it('lets intake set only the topic tag, only on raw mail', () => {
    expect(withAction(statementsOf(functionIds.intake), 's3:PutObjectTagging')).toEqual([
      {
        Sid: 'TagRawMailWithTopic',
        Effect: 'Allow',
        Action: ['s3:PutObjectTagging'],
        Resource: [rawObjects],
        Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [RETENTION_TAG_KEY] } },
      },
    ]);
  });

  it('sends mail only as the configured sender identity', () => {
    const identity = (name: string) => ({
      'Fn::Join': ['', ['arn:aws:ses:eu-west-1:', { Ref: 'AWS::AccountId' }, `:identity/${name}`]],
    });
    const sesOf = (id: string) =>
      statementsOf(id).filter((s) => s.Action.some((a: string) => a.startsWith('ses:')));
    expect(sesOf(functionIds.autoReply)).toEqual([
      expect.objectContaining({
        Action: ['ses:SendRawEmail'],
        Resource: expect.arrayContaining([identity('ssidatabeskyttelse@ssi.dk'), identity('ssi.dk')]),
        Condition: { StringEquals: { 'ses:FromAddress': 'ssidatabeskyttelse@ssi.dk' } },
      }),
    ]);
    expect(sesOf(functionIds.deliver)).toEqual([
      expect.objectContaining({
        Action: ['ses:SendRawEmail'],
        Resource: expect.arrayContaining([identity('mailtriage@ssi.dk'), identity('ssi.dk')]),
        Condition: expect.objectContaining({ StringEquals: { 'ses:FromAddress': 'mailtriage@ssi.dk' } }),
      }),
    ]);
    expect(sesOf(functionIds.intake)).toEqual([]);
    expect(sesOf(digestId)).toEqual([
      expect.objectContaining({
        Action: ['ses:SendRawEmail'],
        Resource: expect.arrayContaining([identity('mailtriage@ssi.dk'), identity('ssi.dk')]),
        Condition: expect.objectContaining({ StringEquals: { 'ses:FromAddress': 'mailtriage@ssi.dk' } }),
      }),
    ]);
  });

  it('lets the digest send only to the data-subject-request owners', () => {
    const [send] = withAction(statementsOf(digestId), 'ses:SendRawEmail');
    expect(send?.Condition.Null).toEqual({ 'ses:Recipients': 'false' });
    expect(send?.Condition['ForAllValues:StringEquals']['ses:Recipients']).toEqual(['dpo-team@ssi.dk']);
  });

  it('lets deliver send only to the configured owners, every recipient one of them', () => {
    const [send] = withAction(statementsOf(functionIds.deliver), 'ses:SendRawEmail');
    const { Null, ...rest } = send?.Condition ?? {};
    expect(Null).toEqual({ 'ses:Recipients': 'false' });
    expect(rest['ForAllValues:StringEquals']['ses:Recipients'].sort()).toEqual(
      ['dpo-team@ssi.dk', 'security@ssi.dk'].sort(),
    );
    expect(Object.keys(rest).sort()).toEqual(['ForAllValues:StringEquals', 'StringEquals']);
  });

  it('lets intake send to the topic, replies and forwards queues, auto-reply defer to its own queue, and nobody else send anywhere', () => {
    const [send] = withAction(statementsOf(functionIds.intake), 'sqs:SendMessage');
    const expected = [
      ...TOPICS.map((t) => stack.queues.topics[t].queue),
      stack.queues.replies.queue,
      stack.queues.forwards.queue,
    ].map((q) => ({ 'Fn::GetAtt': [logicalId(q), 'Arn'] }));
    expect(send?.Resource).toHaveLength(expected.length);
    expect(send?.Resource).toEqual(expect.arrayContaining(expected));
    expect(
      withAction(statementsOf(functionIds.autoReply), 'sqs:SendMessage').flatMap((st) => st.Resource),
    ).toEqual([{ 'Fn::GetAtt': [logicalId(stack.queues.replies.queue), 'Arn'] }]);
    expect(withAction(statementsOf(functionIds.deliver), 'sqs:SendMessage')).toEqual([]);
  });

  it('scopes table access to the tables each function uses', () => {
    const tables = (id: string) =>
      statementsOf(id)
        .filter((s) => s.Action.some((a: string) => a.startsWith('dynamodb:')))
        .flatMap((s) => s.Resource.map((r: Json) => r['Fn::GetAtt'][0]));
    const idempotency = logicalId(stack.state.idempotency);
    const replyLog = logicalId(stack.state.replyLog);
    const cases = logicalId(stack.state.cases);
    expect(tables(functionIds.intake)).toEqual([idempotency, cases]);
    expect(tables(functionIds.deliver)).toEqual([idempotency]);
    expect(tables(functionIds.autoReply).sort()).toEqual([idempotency, replyLog].sort());
    expect(tables(digestId)).toEqual([cases]);
    // Intake opens and links cases; the digest only reads them.
    expect(
      statementsOf(functionIds.intake).find((st) => st.Resource[0]?.['Fn::GetAtt']?.[0] === cases)?.Action,
    ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(withAction(statementsOf(digestId), 'dynamodb:Scan')[0]?.Action).toEqual(['dynamodb:Scan']);
    // Intake hashes the senders of cases with the reply log's salt.
    const secretReaders = [...Object.values(functionIds), digestId].filter(
      (id) => withAction(statementsOf(id), 'secretsmanager:GetSecretValue').length > 0,
    );
    expect(secretReaders.sort()).toEqual([functionIds.autoReply, functionIds.intake].sort());
  });

  it('uses the system key only through the services each function calls, Decrypt included', () => {
    const via = (...services: string[]) => services.map((s) => `${s}.eu-west-1.amazonaws.com`);
    const expected = {
      [functionIds.intake]: via('s3', 'sqs', 'dynamodb'),
      [functionIds.autoReply]: via('sqs', 'dynamodb'),
      [functionIds.deliver]: via('s3', 'sqs', 'dynamodb'),
    };
    for (const [id, services] of Object.entries(expected)) {
      const keyStatements = statementsOf(id).filter((s) =>
        s.Action.some((a: string) => a.startsWith('kms:')),
      );
      expect(keyStatements).toEqual([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: [keyArn],
          Condition: { StringEquals: { 'kms:ViaService': services } },
        }),
      ]);
    }
    expect(
      statementsOf(digestId).filter((st) => st.Action.some((a: string) => a.startsWith('kms:'))),
    ).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt'],
        Resource: [keyArn],
        Condition: { StringEquals: { 'kms:ViaService': via('dynamodb') } },
      }),
    ]);
  });

  it('grants no role any use of a key except through a named service', () => {
    const keyStatements = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(keyStatements.length).toBeGreaterThanOrEqual(3);
    for (const s of keyStatements) expect(s.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
    // The key policy's grants to roles go through Secrets Manager only; the service
    // principals that encrypt with it (SES, SNS, CloudWatch) are pinned to our account or topic.
    const keyPolicy = resources[logicalId(stack.storage.key)]?.Properties.KeyPolicy.Statement as Json[];
    for (const s of keyPolicy.filter((s) => s.Principal.AWS?.['Fn::GetAtt']))
      expect(s.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
      });
    for (const s of keyPolicy.filter((s) => s.Principal.Service)) {
      const pinnedBy = Object.keys({ ...s.Condition?.StringEquals, ...s.Condition?.ArnEquals });
      expect(pinnedBy.filter((k) => k === 'aws:SourceAccount' || k === 'aws:SourceArn')).not.toEqual([]);
    }
  });
});

describe('state', () => {
  it('keeps idempotency and the reply log in on-demand, recoverable, encrypted tables with TTL', () => {
    const expectations = [
      [stack.state.idempotency, 'id', 'expiration'],
      [stack.state.replyLog, 'pk', 'expiresAt'],
    ] as const;
    for (const [table, key, ttl] of expectations) {
      expect(resources[logicalId(table)]?.Properties).toMatchObject({
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      });
    }
  });

  it('keeps the GDPR case register in an on-demand, recoverable, deletion-protected table encrypted with the system key', () => {
    expect(resources[logicalId(stack.state.cases)]?.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'reference', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'reference', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
  });

  it('generates the reply-log salt as a secret encrypted with the system key', () => {
    expect(resources[logicalId(stack.state.replySalt)]?.Properties).toMatchObject({
      KmsKeyId: keyArn,
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });
});

describe('operations', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const alarmTopic = { Ref: logicalId(stack.operations.topic) };
  const queueAlarm = (metric: string, construct: { node: { defaultChild?: unknown } }) =>
    alarms.find(
      (a) =>
        a.MetricName === metric &&
        a.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === logicalId(construct) &&
        a.Namespace === 'AWS/SQS',
    );

  it('alarms on any message in any dead-letter queue', () => {
    for (const { dlq } of stack.queues.all()) {
      expect(queueAlarm('ApproximateNumberOfMessagesVisible', dlq)).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Statistic: 'Maximum',
      });
    }
  });

  it('alarms when the oldest message in any queue is older than the threshold', () => {
    for (const { queue } of stack.queues.all()) {
      expect(queueAlarm('ApproximateAgeOfOldestMessage', queue)).toMatchObject({
        Threshold: 45 * 60,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('alarms on intake errors and on the reply cap tripping', () => {
    expect(
      alarms.find((a) => a.MetricName === 'Errors' && a.Dimensions[0].Value.Ref === functionIds.intake),
    ).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1 });
    const cap = alarms.find((a) => JSON.stringify(a.Metrics ?? []).includes('ReplyCapTripped'));
    expect(cap?.Metrics[0].Expression).toBe('SELECT SUM(ReplyCapTripped) FROM "MailTriage"');
    expect(cap?.Threshold).toBe(1);
  });

  it('sends every alarm and its recovery to the encrypted alarm topic, e-mailed when configured', () => {
    // DLQ and age per queue, errors per function (four), the reply cap, overdue cases.
    expect(alarms).toHaveLength(2 * stack.queues.all().length + 4 + 1 + 1);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([alarmTopic]);
      expect(alarm.OKActions).toEqual([alarmTopic]);
      expect(alarm.TreatMissingData).toBe(alarm.MetricName === 'OverdueCases' ? 'ignore' : 'notBreaching');
    }
    expect(resources[alarmTopic.Ref]?.Properties.KmsMasterKeyId).toEqual(keyArn);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'dpo-alarms@ssi.dk',
      TopicArn: alarmTopic,
    });
    const key = resources[logicalId(stack.storage.key)]?.Properties.KeyPolicy.Statement as Json[];
    expect(key).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
  });

  it('alarms when any GDPR case is overdue, keeping its state between the morning runs', () => {
    expect(alarms.find((a) => a.MetricName === 'OverdueCases')).toMatchObject({
      Namespace: 'MailTriage',
      Dimensions: [{ Name: 'service', Value: 'digest' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
    expect(
      alarms.find((a) => a.MetricName === 'Errors' && a.Dimensions[0].Value.Ref === digestId),
    ).toMatchObject({ Threshold: 1 });
  });

  it('runs the digest at 07:30 Copenhagen time on weekdays, through a role that can only invoke it', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
    expect(schedules).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'cron(30 7 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'Europe/Copenhagen',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: expect.objectContaining({ Arn: { 'Fn::GetAtt': [digestId, 'Arn'] } }),
      }),
    ]);
    const roleId = schedules[0]?.Target.RoleArn['Fn::GetAtt'][0];
    expect(resources[roleId]?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [digestId, 'Arn'] },
      }),
    ]);
  });

  it('has a dashboard of mails by topic, replies, errors and latency', () => {
    const [, dashboard] = ofType('AWS::CloudWatch::Dashboard')[0] ?? [];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const needle of [
      'MetricName=\\\\\\"MailsByTopic\\\\\\"',
      'MailTriage,service,topic',
      'MetricName=\\\\\\"RepliesSent\\\\\\"',
      'MailTriage,service,reason',
      'MetricName=\\\\\\"RepliesSuppressed\\\\\\"',
      'MetricName=\\\\\\"ParseErrors\\\\\\"',
      'MetricName=\\\\\\"EndToEndAgeMs\\\\\\"',
      'MetricName=\\\\\\"ReplyCapTripped\\\\\\"',
    ]) {
      expect(body).toContain(needle);
    }
  });

  it('outputs every topic queue URL and ARN for the mailbox owners', () => {
    const outputs = template.findOutputs('*');
    for (const topic of TOPICS) {
      const queueId = logicalId(stack.queues.topics[topic].queue);
      expect(outputs[`Topic${pascal(topic)}QueueUrl`]?.Value).toEqual({ Ref: queueId });
      expect(outputs[`Topic${pascal(topic)}QueueArn`]?.Value).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    }
    expect(outputs.SystemKeyArn?.Value).toEqual(keyArn);
    expect(outputs.CasesTableName?.Value).toEqual({ Ref: logicalId(stack.state.cases) });
  });
});

describe('the defaults in cdk.json', () => {
  it('leave the rule set inactive, mail no one and still pass cdk-nag', async () => {
    const defaults = await buildApp({
      context: { ...cdkJson.context, stackName: 'MailTriageDefaults' },
      outdir: OUTDIR,
    });
    defaults.app.synth();
    expect((readValidationReport()?.pluginReports ?? []).flatMap((r: Json) => r.violations)).toEqual([]);
    const t = Template.fromStack(defaults.stack);
    expect(Object.keys(t.findResources('Custom::SesActiveReceiptRuleSet'))).toHaveLength(0);
    expect(
      Object.keys(t.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } })),
    ).toHaveLength(0);
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-raw-mail-data-subject-request', ExpirationInDays: 120 }),
          Match.objectLike({ Id: 'expire-raw-mail-general', ExpirationInDays: 90 }),
          Match.objectLike({ Id: 'expire-raw-mail-quarantine', ExpirationInDays: 14 }),
          Match.objectLike({ Id: 'expire-raw-mail', ExpirationInDays: 120 }),
        ]),
      },
    });
    // No owners configured: deliver may send nothing at all (the auto-reply still may).
    const actionsOf = (fn: { role?: { node: { defaultChild?: unknown } } }) => {
      const roleId = defaults.stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);
      return Object.values(t.findResources('AWS::IAM::Policy'))
        .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
        .flatMap((s) => [s.Action].flat() as string[]);
    };
    expect(actionsOf(defaults.stack.functions.deliver)).toContain('s3:GetObject');
    expect(actionsOf(defaults.stack.functions.deliver).filter((a) => a.startsWith('ses:'))).toEqual([]);
    expect(actionsOf(defaults.stack.functions.autoReply)).toContain('ses:SendRawEmail');
    expect(Stack.of(defaults.stack).region).toBe('eu-west-1');
  });
});
