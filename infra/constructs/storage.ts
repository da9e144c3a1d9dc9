import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { longestRetentionDays, type Retention, retentionDaysOf } from '../../functions/core/retention.js';
import { TOPICS } from '../../functions/core/types.js';
import { RETENTION_TAG_KEY } from '../../functions/runtime/resource-names.js';

export interface StorageProps {
  /** Data minimisation: raw mail is deleted this many days after it arrived, per topic. */
  retention: Retention;
  /** Object key prefix SES stores raw mail under (`raw/`). */
  rawPrefix: string;
}

/** Server access logs are kept for audits longer than the mail itself; they hold keys, not mail. */
const ACCESS_LOG_DAYS = 365;
/** A deleted or overwritten raw mail can be recovered for a week, then it is gone. */
const NONCURRENT_VERSION_DAYS = 7;

/**
 * The system's one customer-managed key and the encrypted raw-mail bucket: every mail is
 * durable here before any code runs, and can be replayed from here by its SES message id.
 */
export class Storage extends Construct {
  readonly key: Key;
  readonly rawMail: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.key = new Key(this, 'SystemKey', {
      description: 'Mail triage: raw mail, queues, tables and the reply-log salt',
      alias: `alias/${Stack.of(this).stackName.toLowerCase()}`,
      enableKeyRotation: true,
      // The retained bucket and tables stay readable only while their key exists.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // S3 delivers server access logs only to a bucket encrypted with S3-managed keys.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the raw-mail bucket server access logs; logging it too would need yet another bucket, and it holds no mail.',
    });

    this.rawMail = new Bucket(this, 'RawMail', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw-mail/',
      lifecycleRules: rawMailLifecycle(props),
      // Mail is evidence of a request with a legal deadline: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * One rule per topic, for mail intake tagged `topic=<id>`, and one for everything in the
 * bucket. S3 applies the shortest expiration of the rules that match an object, so the
 * rule for everything keeps the longest retention of any topic: mail that has no tag yet
 * (not triaged, in a dead-letter queue, or its tag failed) is never deleted before its
 * topic's time. Old versions and delete markers go a week after the mail itself.
 */
function rawMailLifecycle({ retention, rawPrefix }: StorageProps): LifecycleRule[] {
  return [
    ...TOPICS.map((topic) => ({
      id: `expire-raw-mail-${topic}`,
      prefix: rawPrefix,
      tagFilters: { [RETENTION_TAG_KEY]: topic },
      expiration: Duration.days(retentionDaysOf(retention, topic)),
    })),
    {
      id: 'expire-raw-mail',
      expiration: Duration.days(longestRetentionDays(retention)),
      noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    },
    { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
  ];
}
