import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  type IReceiptRuleAction,
  type ReceiptRule,
  type ReceiptRuleActionConfig,
  ReceiptRuleSet,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { Stop } from 'aws-cdk-lib/aws-ses-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { MAIL_TOPIC_NAME } from '../../functions/runtime/resource-names.js';

export interface ReceivingProps {
  recipients: string[];
  key: IKey;
  bucket: IBucket;
  /** Object key prefix SES stores raw mail under (`raw/`). */
  rawPrefix: string;
  intakeQueue: IQueue;
  /** Make our rule set the account's active one (only one can be active per region). */
  activateRuleSet: boolean;
}

const SES = new ServicePrincipal('ses.amazonaws.com');

/**
 * SES inbound: a receipt rule for the configured recipients stores each mail, raw, in
 * the encrypted bucket and announces it on an SNS topic that feeds the intake queue.
 */
export class Receiving extends Construct {
  readonly topic: Topic;
  readonly ruleSetName: string;

  constructor(scope: Construct, id: string, props: ReceivingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.ruleSetName = `${stack.stackName}-rule-set`;
    const ruleName = `${stack.stackName}-inbound`;
    // Known before the rule exists, so the bucket and topic policies can name exactly it.
    const ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${this.ruleSetName}:receipt-rule/${ruleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const fromOurRule = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn },
    };

    const bucketPolicy = props.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyOurSesReceiptRuleStoresMail',
        principals: [SES],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${props.rawPrefix}*`)],
        conditions: fromOurRule,
      }),
    );

    const topicName = `${stack.stackName}-${MAIL_TOPIC_NAME}`;
    this.topic = new Topic(this, 'MailArrived', {
      topicName,
      displayName: 'Mail triage: raw mail stored',
      masterKey: props.key,
      enforceSSL: true,
    });
    const topicPolicy = this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyOurSesReceiptRulePublishes',
        principals: [SES],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurRule,
      }),
    );
    // SES writes the object through S3 (SSE-KMS) and publishes to the encrypted topic:
    // both need the system key. Account-scoped: the bucket and topic policies pin the rule.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesStoresAndAnnouncesMail',
        principals: [SES],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    // The handler expects the SNS envelope (it carries the SES receipt), so no raw delivery.
    // Subscribed through the topic's ARN as a string: the subscription puts the topic ARN in
    // the system key's policy, and a reference there would make key and topic depend on
    // each other (the topic is encrypted with the key).
    const topicByArn = Topic.fromTopicArn(
      this,
      'MailArrivedByArn',
      stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
    );
    const subscription = topicByArn.addSubscription(
      new SqsSubscription(props.intakeQueue, { rawMessageDelivery: false }),
    );
    subscription.node.addDependency(this.topic);

    const ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    const rule = ruleSet.addRule('Inbound', {
      receiptRuleName: ruleName,
      recipients: props.recipients,
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [
        new StoreRawMail(props.bucket, props.rawPrefix, this.topic),
        // Our recipients' mail is ours alone: no later rule in the set acts on it.
        new Stop(),
      ],
    });
    // SES checks at creation that it may write the bucket and publish to the topic.
    for (const policy of [bucketPolicy.policyDependable, topicPolicy.policyDependable]) {
      if (policy) rule.node.addDependency(policy);
    }
    rule.node.addDependency(props.key);

    if (props.activateRuleSet) this.activate(rule);
  }

  /**
   * Opt-in (context `activateRuleSet`): only one rule set can be active per account and
   * region, so activating ours replaces whatever set is active now.
   */
  private activate(rule: ReceiptRule): void {
    const logGroup = new LogGroup(this, 'ActivationLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'ActivationRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Activates the mail-triage SES receipt rule set',
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const setActive = (ruleSetName?: string) => ({
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: ruleSetName ? { RuleSetName: ruleSetName } : {},
      physicalResourceId: PhysicalResourceId.of(`${this.ruleSetName}-activation`),
    });
    const activation = new AwsCustomResource(this, 'ActivateRuleSet', {
      resourceType: 'Custom::SesActiveReceiptRuleSet',
      onCreate: setActive(this.ruleSetName),
      onUpdate: setActive(this.ruleSetName),
      // An active rule set cannot be deleted: deactivate it first (no name = none active).
      onDelete: setActive(),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SetActiveReceiptRuleSet'],
          resources: ['*'],
        }),
      ]),
      role,
      logGroup,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    activation.node.addDependency(rule);

    Validations.of(activation).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:SetActiveReceiptRuleSet supports no resource-level permissions (the IAM service authorization reference lists no resource type for it); the role can do nothing else.',
    });
  }
}

/**
 * The S3 action without the one in aws-ses-actions: that one also grants every receipt
 * rule of the account (aws:SourceAccount only); our bucket policy names our rule.
 */
class StoreRawMail implements IReceiptRuleAction {
  constructor(
    private readonly bucket: IBucket,
    private readonly prefix: string,
    private readonly topic: Topic,
  ) {}

  bind(): ReceiptRuleActionConfig {
    return {
      s3Action: {
        bucketName: this.bucket.bucketName,
        objectKeyPrefix: this.prefix,
        topicArn: this.topic.topicArn,
      },
    };
  }
}
