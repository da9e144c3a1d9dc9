import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

export interface DigestScheduleProps {
  digest: IFunction;
  /** An EventBridge Scheduler cron expression, read in `timeZone`. */
  expression: string;
  /** The IANA zone of the deadline calendar (Europe/Copenhagen). */
  timeZone: string;
}

/**
 * When the owners' morning digest runs. EventBridge Scheduler reads the cron expression in
 * the calendar's time zone, so 07:30 stays 07:30 in Copenhagen across the switches to and
 * from summer time (CloudWatch Events rules run in UTC only). The schedule fires on
 * weekdays; the function skips public holidays and closing days itself, by the calendar
 * the deadlines are counted with.
 */
export class DigestSchedule extends Construct {
  readonly schedule: Schedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    // Our own role: the target's default grant would also allow every version (`<arn>:*`).
    this.role = new Role(this, 'InvokeDigestRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler invokes the GDPR digest function, and nothing else',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeDigest',
        actions: ['lambda:InvokeFunction'],
        resources: [props.digest.functionArn],
      }),
    );
    this.schedule = new Schedule(this, 'Morning', {
      description: 'GDPR deadline digest for the data-subject-request owners',
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      // Invoked asynchronously: Lambda retries a failed run twice; the Scheduler retries
      // only when the invoke itself fails, and a digest hours late is no morning digest.
      target: new LambdaInvoke(props.digest, {
        role: this.role.withoutPolicyUpdates(),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}
