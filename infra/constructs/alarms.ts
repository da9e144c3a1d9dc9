import { Aws, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../../functions/runtime/observability.js';
import type { Functions } from './functions.js';
import { pascal, type Queues } from './queues.js';

export interface AlarmsProps {
  key: IKey;
  queues: Queues;
  functions: Functions;
  /** Oldest-message-age threshold: the GDPR deadline runs while mail waits in a queue. */
  maxQueueAgeMinutes: number;
  alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The metrics the functions emit (Powertools EMF, namespace MailTriage). Powertools adds
 * a `service` dimension to each, so the dashboard searches by dimension set rather than
 * naming every service, and the reply-cap alarm sums across dimensions with a Metrics
 * Insights query: neither breaks if a function's service name changes.
 */
const search = (dimensions: string[], metricName: string, statistic: string): MathExpression =>
  new MathExpression({
    expression: `SEARCH('{${[METRICS_NAMESPACE, ...dimensions].join(',')}} MetricName="${metricName}"', '${statistic}', ${FIVE_MINUTES.toSeconds()})`,
    period: FIVE_MINUTES,
  });

/** Alarms to an SNS topic (optionally e-mailed) and a dashboard for the operators. */
export class Alarms extends Construct {
  readonly topic: Topic;
  /** The dashboard's name: the stack's name, a plain string (no token). */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { queues, functions } = props;
    this.dashboardName = Stack.of(this).stackName;

    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Mail triage alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic with the system key.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchPublishesAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const { name, queue, dlq } of queues.all()) {
      this.alarm(`${pascal(name)}DlqNotEmpty`, {
        description: `Mail is stuck: the ${name} dead-letter queue has messages. Fix the cause, then redrive (docs/DEPLOY.md).`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: Stats.MAXIMUM,
        }),
        threshold: 1,
      });
      this.alarm(`${pascal(name)}OldestMessage`, {
        description: `The oldest message in the ${name} queue is older than ${props.maxQueueAgeMinutes} minutes: the GDPR deadline is running.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        threshold: props.maxQueueAgeMinutes * 60,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    for (const { name, fn } of functions.all()) {
      this.alarm(`${pascal(name)}Errors`, {
        description: `The ${name} function failed (errors or timeouts); its messages are retried and then dead-lettered.`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
      });
    }

    this.alarm('ReplyCapTripped', {
      description:
        'The hourly auto-reply cap was reached: replies are being suppressed. A flood or a loop? See the dashboard.',
      metric: new MathExpression({
        expression: `SELECT SUM(ReplyCapTripped) FROM "${METRICS_NAMESPACE}"`,
        period: FIVE_MINUTES,
        label: 'ReplyCapTripped',
      }),
      threshold: 1,
    });

    // The digest measures the register each weekday morning; between runs there is no
    // data, and the alarm keeps its state (IGNORE) rather than clearing over a weekend.
    this.alarm('CasesOverdue', {
      description:
        'A GDPR data-subject request is past its due date (Art. 12(3)). Answer it, then close it: npm run cases -- list --status open.',
      metric: this.caseMetric('OverdueCases'),
      threshold: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });

    this.createDashboard(props);
  }

  /** A gauge the digest function publishes (Powertools adds its `service` dimension). */
  private caseMetric(metricName: string): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAMES.digest },
      statistic: Stats.MAXIMUM,
      period: Duration.hours(1),
    });
  }

  private alarm(
    id: string,
    options: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  private createDashboard({ queues, functions }: AlarmsProps): void {
    const fns = functions.all();
    const all = queues.all();
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Mail triage\nMail by topic, replies, errors and latency. Alarms go to the alarm topic; see docs/DEPLOY.md for redrive and replay.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Mails by topic',
        left: [search(['service', 'topic'], 'MailsByTopic', 'Sum')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Replies sent (by template) and reply cap',
        left: [search(['service', 'template'], 'RepliesSent', 'Sum')],
        right: [search(['service'], 'ReplyCapTripped', 'Sum')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Replies suppressed by reason',
        left: [search(['service', 'reason'], 'RepliesSuppressed', 'Sum')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Errors',
        left: fns.map(({ name, fn }) =>
          fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM, label: `${name} errors` }),
        ),
        right: [search(['service'], 'ParseErrors', 'Sum')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Latency: receipt to routed (EndToEndAgeMs) and function duration',
        left: [search(['service'], 'EndToEndAgeMs', 'p50'), search(['service'], 'EndToEndAgeMs', 'p99')],
        right: fns.map(({ name, fn }) =>
          fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99), label: `${name} p99` }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Throttles (send concurrency protects the SES quota)',
        left: fns.map(({ name, fn }) =>
          fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM, label: `${name} throttles` }),
        ),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'GDPR cases: open and overdue (each weekday morning), digests sent',
        left: [this.caseMetric('OpenCases'), this.caseMetric('OverdueCases')],
        right: [
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: 'DigestSent',
            dimensionsMap: { service: SERVICE_NAMES.digest },
            statistic: Stats.SUM,
            period: Duration.days(1),
          }),
        ],
        width: 24,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Oldest message age (s)',
        left: all.map(({ name, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({
            period: FIVE_MINUTES,
            statistic: Stats.MAXIMUM,
            label: name,
          }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead-letter queue depth',
        left: all.map(({ name, dlq }) =>
          dlq.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: Stats.MAXIMUM,
            label: `${name} DLQ`,
          }),
        ),
        width: 12,
      }),
    );
  }
}
