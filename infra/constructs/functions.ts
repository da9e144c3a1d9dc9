import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TOPICS } from '../../functions/core/types.js';
import { ENV } from '../../functions/runtime/environment.js';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../../functions/runtime/observability.js';
import { RETENTION_TAG_KEY } from '../../functions/runtime/resource-names.js';
import { CDK_BUNDLING, PROJECT_ROOT } from '../bundling.js';
import type { Queues } from './queues.js';

/**
 * The newest Node.js runtime aws-cdk-lib offers, pinned rather than NODEJS_LATEST so that
 * a CDK upgrade never changes the runtime unannounced (cdk-nag L1 checks it is the newest).
 */
export const RUNTIME = Runtime.NODEJS_24_X;

export const FUNCTION_TIMEOUTS = {
  /** Parsing a mail of up to 40 MB, streamed from S3, then a few queue sends. */
  intake: Duration.seconds(90),
  autoReply: Duration.seconds(30),
  /** Reads the original (up to MAX_FORWARD_BYTES) and sends it as an attachment. */
  deliver: Duration.seconds(60),
  /** Scans the case register (hundreds of items) and sends one mail. */
  digest: Duration.seconds(60),
} as const;

/** What every function's environment holds besides its resources and configuration. */
export const RUNTIME_ENVIRONMENT = {
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  // Stack traces name source lines; Node reads each bundle's source map when it loads it.
  NODE_OPTIONS: '--enable-source-maps',
} as const;

export interface FunctionsProps {
  key: IKey;
  rawBucket: IBucket;
  rawPrefix: string;
  queues: Queues;
  idempotency: ITable;
  replyLog: ITable;
  replySalt: ISecret;
  /** The GDPR case register: intake opens and links cases, the digest reads them. */
  cases: ITable;
  /** The data-subject-request owners: the only addresses the digest may send to. */
  digestOwners: string[];
  /** TRIAGE_CONFIG: the configuration overrides, validated at synth. */
  configOverrides: Record<string, unknown>;
  replyFrom: string;
  forwardFrom: string;
  /** Every owner address of every topic: the only addresses deliver may send to. */
  owners: string[];
  maxForwardBytes: number;
  /** Concurrent auto-reply and deliver invocations each (SES send-rate quota). */
  sendConcurrency: number;
  /** Concurrent intake invocations at most: the cap on its SQS event source. */
  intakeConcurrency: number;
}

/**
 * The four functions, each with its own role that can do exactly what that function
 * does: no AWS-managed policies, no shared permissions.
 */
export class Functions extends Construct {
  readonly intake: NodejsFunction;
  readonly autoReply: NodejsFunction;
  readonly deliver: NodejsFunction;
  readonly digest: NodejsFunction;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { queues, key, rawBucket } = props;
    const stack = Stack.of(this);
    const common = {
      [ENV.config]: stack.toJsonString(props.configOverrides),
      [ENV.idempotencyTable]: props.idempotency.tableName,
      ...RUNTIME_ENVIRONMENT,
    };

    this.intake = this.mailFunction('Intake', {
      entry: 'functions/intake/handler.ts',
      description: 'Triages each stored mail and routes it to its topic, reply and forward queues',
      timeout: FUNCTION_TIMEOUTS.intake,
      memorySize: 512,
      environment: {
        ...common,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES.intake,
        [ENV.rawBucket]: rawBucket.bucketName,
        [ENV.rawPrefix]: props.rawPrefix,
        [ENV.topicQueues]: stack.toJsonString(
          Object.fromEntries(TOPICS.map((topic) => [topic, queues.topics[topic].queue.queueUrl])),
        ),
        [ENV.repliesQueue]: queues.replies.queue.queueUrl,
        [ENV.forwardsQueue]: queues.forwards.queue.queueUrl,
        [ENV.tagRawMail]: 'true',
        [ENV.casesTable]: props.cases.tableName,
        // Senders of cases are kept as salted hashes, with the reply log's salt.
        [ENV.replySaltSecretArn]: props.replySalt.secretArn,
      },
    });
    // A cap on the event source, not reserved concurrency: a flood of mail waits in the
    // intake queue (its age alarm tells) instead of being throttled back into it, where
    // throttled receives count towards the DLQ; nothing is carved out of the account's pool.
    this.consume(this.intake, queues.intake.queue, props.intakeConcurrency);
    this.readRawMail(this.intake, props);
    this.tagRawMail(this.intake, props);
    this.useTable(this.intake, props.idempotency);
    // Open a case (conditional put), read it, and link a mail to it (put on the version read).
    this.useTable(this.intake, props.cases, ['dynamodb:GetItem', 'dynamodb:PutItem']);
    props.replySalt.grantRead(this.intake);
    this.intake.addToRolePolicy(
      new PolicyStatement({
        sid: 'RouteToQueues',
        actions: ['sqs:SendMessage'],
        resources: [
          ...TOPICS.map((topic) => queues.topics[topic].queue.queueArn),
          queues.replies.queue.queueArn,
          queues.forwards.queue.queueArn,
        ],
      }),
    );
    this.useKey(
      this.intake,
      key,
      ['s3', 'sqs', 'dynamodb'],
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    );

    this.autoReply = this.mailFunction('AutoReply', {
      entry: 'functions/auto-reply/handler.ts',
      description: 'Sends the bilingual auto-reply, at most one per sender per window',
      timeout: FUNCTION_TIMEOUTS.autoReply,
      memorySize: 256,
      reservedConcurrentExecutions: props.sendConcurrency,
      environment: {
        ...common,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES.autoReply,
        [ENV.replyLogTable]: props.replyLog.tableName,
        [ENV.replySaltSecretArn]: props.replySalt.secretArn,
        [ENV.repliesQueue]: queues.replies.queue.queueUrl,
      },
    });
    this.consume(this.autoReply, queues.replies.queue, props.sendConcurrency);
    // A reply the hourly caps hold back goes back on its own queue with a delay.
    this.autoReply.addToRolePolicy(
      new PolicyStatement({
        sid: 'DeferReplies',
        actions: ['sqs:SendMessage'],
        resources: [queues.replies.queue.queueArn],
      }),
    );
    this.useTable(this.autoReply, props.idempotency);
    this.useTable(this.autoReply, props.replyLog, [
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    ]);
    props.replySalt.grantRead(this.autoReply);
    this.sendAs(this.autoReply, props.replyFrom);
    this.useKey(
      this.autoReply,
      key,
      ['sqs', 'dynamodb'],
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    );

    this.deliver = this.mailFunction('Deliver', {
      entry: 'functions/deliver/handler.ts',
      description: "Forwards routed mail to its topic's mailbox owners, the original attached",
      timeout: FUNCTION_TIMEOUTS.deliver,
      memorySize: 512,
      reservedConcurrentExecutions: props.sendConcurrency,
      environment: {
        ...common,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES.deliver,
        [ENV.rawBucket]: rawBucket.bucketName,
        [ENV.rawPrefix]: props.rawPrefix,
        [ENV.maxForwardBytes]: String(props.maxForwardBytes),
      },
    });
    this.consume(this.deliver, queues.forwards.queue, props.sendConcurrency);
    this.readRawMail(this.deliver, props);
    this.useTable(this.deliver, props.idempotency);
    // No owners, nothing to forward: deliver then may send nothing at all.
    if (props.owners.length > 0) this.sendAs(this.deliver, props.forwardFrom, props.owners);
    this.useKey(
      this.deliver,
      key,
      ['s3', 'sqs', 'dynamodb'],
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    );

    this.digest = this.mailFunction('Digest', {
      entry: 'functions/digest/handler.ts',
      description: 'Mails the GDPR deadline digest to the data-subject-request owners on working days',
      timeout: FUNCTION_TIMEOUTS.digest,
      memorySize: 256,
      // One run a morning; a second would only send the same digest twice.
      reservedConcurrentExecutions: 1,
      environment: {
        [ENV.config]: stack.toJsonString(props.configOverrides),
        [ENV.casesTable]: props.cases.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES.digest,
        ...RUNTIME_ENVIRONMENT,
      },
    });
    this.useTable(this.digest, props.cases, ['dynamodb:Scan']);
    if (props.digestOwners.length > 0) this.sendAs(this.digest, props.forwardFrom, props.digestOwners);
    this.useKey(this.digest, key, ['dynamodb'], ['kms:Decrypt']);
  }

  all(): Array<{ name: string; fn: NodejsFunction }> {
    return [
      { name: SERVICE_NAMES.intake, fn: this.intake },
      { name: SERVICE_NAMES.autoReply, fn: this.autoReply },
      { name: SERVICE_NAMES.deliver, fn: this.deliver },
      { name: SERVICE_NAMES.digest, fn: this.digest },
    ];
  }

  private mailFunction(
    id: string,
    options: {
      entry: string;
      description: string;
      timeout: Duration;
      memorySize: number;
      reservedConcurrentExecutions?: number;
      environment: Record<string, string>;
    },
  ): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Mail triage ${id} function`,
    });
    // What AWSLambdaBasicExecutionRole would give, narrowed to this function's log group.
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    return new NodejsFunction(this, id, {
      entry: join(PROJECT_ROOT, options.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      description: options.description,
      timeout: options.timeout,
      memorySize: options.memorySize,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      role,
      logGroup,
      environment: options.environment,
      bundling: CDK_BUNDLING,
    });
  }

  /**
   * An SQS event source with partial batch failure. The queue is passed without its key:
   * the event source would grant kms:Decrypt on it unconditionally; `useKey` grants it
   * through SQS only.
   */
  private consume(fn: NodejsFunction, queue: Queues['intake']['queue'], maxConcurrency?: number): void {
    const withoutKey = Queue.fromQueueAttributes(this, `${fn.node.id}EventQueue`, {
      queueArn: queue.queueArn,
      queueUrl: queue.queueUrl,
    });
    fn.addEventSource(
      new SqsEventSource(withoutKey, {
        batchSize: 10,
        reportBatchItemFailures: true,
        ...(maxConcurrency ? { maxConcurrency } : {}),
      }),
    );
  }

  /**
   * Objects under the raw prefix only. ListBucket makes a missing object a 404 (the
   * adapters' MailNotFound, a permanent error) rather than a 403 retried to the DLQ.
   */
  private readRawMail(fn: NodejsFunction, props: FunctionsProps): void {
    const bucket = Stack.of(this).getLogicalId(props.rawBucket.node.defaultChild as CfnBucket);
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${props.rawPrefix}*]`,
        reason:
          'Raw mail is stored under one key per SES message id, unknown in advance: the wildcard is the raw/ prefix of the one bucket, read-only.',
      });
    }
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadRawMail',
        actions: ['s3:GetObject'],
        resources: [props.rawBucket.arnForObjects(`${props.rawPrefix}*`)],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'TellMissingRawMail',
        actions: ['s3:ListBucket'],
        resources: [props.rawBucket.bucketArn],
      }),
    );
  }

  /**
   * Intake records each mail's topic as an object tag, which the bucket's lifecycle
   * expires it by: only under the raw prefix, and only that one tag key.
   */
  private tagRawMail(fn: NodejsFunction, props: FunctionsProps): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'TagRawMailWithTopic',
        actions: ['s3:PutObjectTagging'],
        resources: [props.rawBucket.arnForObjects(`${props.rawPrefix}*`)],
        conditions: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [RETENTION_TAG_KEY] } },
      }),
    );
  }

  /** Powertools idempotency's calls by default; the reply log names its own. */
  private useTable(
    fn: NodejsFunction,
    table: ITable,
    actions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  ): void {
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn] }));
  }

  /**
   * The system key, only through the services this function calls (kms:ViaService): the
   * role can decrypt what S3, SQS or DynamoDB hand it, never a ciphertext on its own.
   */
  private useKey(fn: NodejsFunction, key: IKey, services: string[], actions: string[]): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'UseSystemKeyViaServices',
        actions,
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': services.map((service) => `${service}.${Stack.of(this).region}.amazonaws.com`),
          },
        },
      }),
    );
  }

  /**
   * SES SendRawEmail as one sender only: the address identity or its domain identity
   * (whichever is verified), and the envelope sender must be that address. Given
   * recipients, every recipient must be one of them (and there must be recipients:
   * ForAllValues alone holds for a request without the key).
   */
  private sendAs(fn: NodejsFunction, address: string, recipients?: string[]): void {
    const stack = Stack.of(this);
    const domain = address.slice(address.lastIndexOf('@') + 1);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const onlyTo = recipients
      ? {
          // SES compares case-sensitively; the lower-cased forms allow for a normalised domain.
          'ForAllValues:StringEquals': {
            'ses:Recipients': [...new Set(recipients.flatMap((r) => [r, r.toLowerCase()]))],
          },
          Null: { 'ses:Recipients': 'false' },
        }
      : {};
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'SendAsConfiguredSender',
        actions: ['ses:SendRawEmail'],
        resources: [identity(address), identity(domain)],
        conditions: { StringEquals: { 'ses:FromAddress': address }, ...onlyTo },
      }),
    );
  }
}
