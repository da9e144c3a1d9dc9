import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'MailTriage';

/** Each function's service name: the `service` of its log lines and metrics dimension. */
export const SERVICE_NAMES = {
  intake: 'intake',
  autoReply: 'auto-reply',
  deliver: 'deliver',
  digest: 'digest',
} as const;

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/** Structured JSON logs and EMF metrics, one pair per function. */
export function createObservability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}

/**
 * What may be logged of an error: its name, code and HTTP status, never its message.
 * SDK and parser messages can quote addresses ("Email address is not verified: …").
 */
export function safeError(error: unknown): { errorName: string; errorCode?: string; httpStatus?: number } {
  const e = error as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const errorName = typeof e?.name === 'string' ? e.name : 'Error';
  const code = typeof e?.code === 'string' ? e.code : typeof e?.Code === 'string' ? e.Code : undefined;
  return {
    errorName,
    ...(code && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? { errorCode: code } : {}),
    ...(e?.$metadata?.httpStatusCode ? { httpStatus: e.$metadata.httpStatusCode } : {}),
  };
}
