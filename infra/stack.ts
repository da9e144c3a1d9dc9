import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TOPICS } from '../functions/core/types.js';
import { RAW_PREFIX } from '../functions/runtime/environment.js';
import { Alarms } from './constructs/alarms.js';
import { DigestSchedule } from './constructs/digest-schedule.js';
import { FUNCTION_TIMEOUTS, Functions } from './constructs/functions.js';
import { pascal, Queues } from './constructs/queues.js';
import { Receiving } from './constructs/receiving.js';
import { State } from './constructs/state.js';
import { Storage } from './constructs/storage.js';
import type { MailTriageSettings } from './context.js';

export interface MailTriageStackProps extends StackProps {
  settings: MailTriageSettings;
}

/**
 * SES inbound → S3 → SNS → SQS → intake → topic queues, replies → auto-reply → SES,
 * forwards → deliver → SES. One stack, one construct per concern.
 */
export class MailTriageStack extends Stack {
  readonly storage: Storage;
  readonly queues: Queues;
  readonly state: State;
  readonly receiving: Receiving;
  readonly functions: Functions;
  readonly operations: Alarms;
  readonly digestSchedule: DigestSchedule;

  constructor(scope: Construct, id: string, props: MailTriageStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { config } = settings;

    this.storage = new Storage(this, 'Storage', { retention: config.retentionDays, rawPrefix: RAW_PREFIX });
    const { key } = this.storage;
    this.queues = new Queues(this, 'Queues', { key, consumerTimeouts: FUNCTION_TIMEOUTS });
    this.state = new State(this, 'State', { key });
    this.receiving = new Receiving(this, 'Receiving', {
      recipients: config.recipients,
      key,
      bucket: this.storage.rawMail,
      rawPrefix: RAW_PREFIX,
      intakeQueue: this.queues.intake.queue,
      activateRuleSet: settings.activateRuleSet,
    });
    this.functions = new Functions(this, 'Functions', {
      key,
      rawBucket: this.storage.rawMail,
      rawPrefix: RAW_PREFIX,
      queues: this.queues,
      idempotency: this.state.idempotency,
      replyLog: this.state.replyLog,
      replySalt: this.state.replySalt,
      cases: this.state.cases,
      digestOwners: config.forward['data-subject-request'] ?? [],
      configOverrides: settings.configOverrides,
      replyFrom: config.reply.from,
      forwardFrom: config.forwardFrom,
      owners: [...new Set(Object.values(config.forward).flat())],
      maxForwardBytes: settings.maxForwardBytes,
      sendConcurrency: settings.sendConcurrency,
      intakeConcurrency: settings.intakeConcurrency,
    });
    this.digestSchedule = new DigestSchedule(this, 'DigestSchedule', {
      digest: this.functions.digest,
      expression: settings.digestSchedule,
      timeZone: config.calendar.timeZone,
    });
    this.operations = new Alarms(this, 'Operations', {
      key,
      queues: this.queues,
      functions: this.functions,
      maxQueueAgeMinutes: settings.maxQueueAgeMinutes,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    this.outputs();
  }

  /** What operators and the mailbox owners' systems need: `aws cloudformation describe-stacks`. */
  private outputs(): void {
    for (const topic of TOPICS) {
      const { queue, dlq } = this.queues.topics[topic];
      const id = `Topic${pascal(topic)}`;
      new CfnOutput(this, `${id}QueueUrl`, {
        description: `Queue of topic ${topic}: TriageRecord JSON messages for the mailbox owners' systems`,
        value: queue.queueUrl,
      });
      new CfnOutput(this, `${id}QueueArn`, {
        description: `ARN of the ${topic} queue`,
        value: queue.queueArn,
      });
      new CfnOutput(this, `${id}DlqArn`, {
        description: `ARN of the ${topic} dead-letter queue`,
        value: dlq.queueArn,
      });
    }
    for (const [name, { queue, dlq }] of [
      ['Intake', this.queues.intake],
      ['Replies', this.queues.replies],
      ['Forwards', this.queues.forwards],
    ] as const) {
      new CfnOutput(this, `${name}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${name}QueueArn`, { value: queue.queueArn });
      new CfnOutput(this, `${name}DlqArn`, { value: dlq.queueArn });
    }
    new CfnOutput(this, 'RawMailBucketName', {
      description: `Raw mail, key ${RAW_PREFIX}<sesMessageId>`,
      value: this.storage.rawMail.bucketName,
    });
    new CfnOutput(this, 'SystemKeyArn', {
      description:
        'KMS key of the queues, bucket and tables: consumers of a topic queue need kms:Decrypt on it',
      value: this.storage.key.keyArn,
    });
    new CfnOutput(this, 'CasesTableName', {
      description: 'The GDPR case register: CASES_TABLE for npm run cases',
      value: this.state.cases.tableName,
    });
    new CfnOutput(this, 'DigestFunctionName', {
      description: 'The morning digest; invoke it with {"force": true} to send one now',
      value: this.functions.digest.functionName,
    });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.receiving.ruleSetName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboardName });
  }
}
