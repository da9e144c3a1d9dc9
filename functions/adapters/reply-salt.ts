import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ReplySaltSource } from '../runtime/environment.js';

/**
 * The salt for hashing reply addresses, fetched once per container. Deployed, it lives in
 * Secrets Manager, so a copy of the reply-log table alone cannot be matched to addresses.
 */
export function replySaltProvider(
  source: ReplySaltSource,
  secrets?: SecretsManagerClient,
): () => Promise<string> {
  let salt: Promise<string> | null = null;
  return () => {
    if ('value' in source) return Promise.resolve(source.value);
    if (!secrets)
      return Promise.reject(new Error('reply salt is a secret, but no Secrets Manager client was given'));
    salt ??= secrets.send(new GetSecretValueCommand({ SecretId: source.secretArn })).then((secret) => {
      if (!secret.SecretString || secret.SecretString.length < 16)
        throw new Error('reply salt secret is empty');
      return secret.SecretString;
    });
    // A failed fetch is not cached: the next message tries again.
    salt.catch(() => {
      salt = null;
    });
    return salt;
  };
}
