import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ForeignObject, type MailLocation, MailNotFound, type MailStore } from '../core/ports.js';
import type { Topic } from '../core/types.js';
import { RETENTION_TAG_KEY } from '../runtime/resource-names.js';

/** The raw-mail bucket and the key prefix SES's S3 action writes under. */
export interface RawMailArea {
  bucket: string;
  prefix: string;
}

/**
 * The raw mail SES stored, read from S3. Ownership is checked here, once, for every
 * caller: a notification or a forward job naming any other bucket or key is refused
 * before a request is made (the function's role could read more than the mail).
 */
export class S3MailStore implements MailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly area: RawMailArea,
  ) {}

  async open(location: MailLocation): Promise<Readable> {
    const { bucket, key } = this.owned(location);
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body as Readable;
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  async size(location: MailLocation): Promise<number> {
    const { bucket, key } = this.owned(location);
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  /** Replaces the object's tag set (the current version's; tagging makes no new version). */
  async tagTopic(location: MailLocation, topic: Topic): Promise<void> {
    const { bucket, key } = this.owned(location);
    try {
      await this.s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: key,
          Tagging: { TagSet: [{ Key: RETENTION_TAG_KEY, Value: topic }] },
        }),
      );
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  /** The location, if it is in this store's bucket and under its prefix; S3 keys are literal, but `..` never belongs in ours. */
  private owned(location: MailLocation): MailLocation {
    const { bucket, key } = location;
    const inArea =
      bucket === this.area.bucket &&
      key.startsWith(this.area.prefix) &&
      !key.split('/').some((part) => part === '..' || part === '.');
    if (!inArea) throw new ForeignObject('names an object outside the raw-mail bucket and prefix');
    return location;
  }
}

function notFoundOr(error: unknown, key: string): unknown {
  return isS3NotFound(error) ? new MailNotFound(key) : error;
}

/** GetObject says NoSuchKey, HeadObject (no body) only NotFound or a bare 404. */
export function isS3NotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
