import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface StateProps {
  key: IKey;
}

/**
 * What the functions remember between invocations: which SES message ids were already
 * handled (idempotency), which senders were answered within the window (the reply log,
 * keyed by a salted hash, never an address), the salt itself, and the GDPR case register.
 */
export class State extends Construct {
  readonly idempotency: Table;
  readonly replyLog: Table;
  readonly replySalt: Secret;
  /** The GDPR case register: one item per data-subject request, keyed by case reference. */
  readonly cases: Table;

  constructor(scope: Construct, id: string, props: StateProps) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    // Attribute names are Powertools idempotency's defaults (DynamoDBPersistenceLayer).
    this.idempotency = new Table(this, 'Idempotency', {
      ...common,
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
    });

    this.replyLog = new Table(this, 'ReplyLog', {
      ...common,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });

    // No personal data but a salted sender hash; a closed case expires after
    // cases.keepClosedDays (TTL), an open one never: its deadline is still running.
    this.cases = new Table(this, 'Cases', {
      ...common,
      partitionKey: { name: 'reference', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });

    this.replySalt = new Secret(this, 'ReplySalt', {
      description: 'Salt for the hashed sender addresses in the mail-triage reply log',
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // The reply log's hashes are only comparable under the salt they were made with.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.replySalt).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The salt is not a credential: it keys the hashed sender addresses in the reply log. Rotating it would make every sender look new and break the one-reply-per-window rule; the reply log only holds hashes that expire with the window.',
    });
  }
}
