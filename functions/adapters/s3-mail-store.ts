import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MailNotFound, type MailStore } from '../core/ports.js';
import type { Topic } from '../core/types.js';
import { RETENTION_TAG_KEY } from '../runtime/resource-names.js';

export class S3MailStore implements MailStore {
  constructor(private readonly s3: S3Client) {}

  async open(bucket: string, key: string): Promise<Readable> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body as Readable;
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  async size(bucket: string, key: string): Promise<number> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  /** Replaces the object's tag set (the current version's; tagging makes no new version). */
  async tagTopic(bucket: string, key: string, topic: Topic): Promise<void> {
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
}

function notFoundOr(error: unknown, key: string): unknown {
  return isS3NotFound(error) ? new MailNotFound(key) : error;
}

/** GetObject says NoSuchKey, HeadObject (no body) only NotFound or a bare 404. */
export function isS3NotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
