import { readFile } from 'node:fs/promises';
import { ConfigInvalid, configWithOverrides, type TriageConfig } from '../core/config.js';
import { DEFAULT_CONFIG } from '../core/default-config.js';

/**
 * Reads a JSON configuration file laid over the defaults. Any problem — unreadable, not
 * JSON, a wrong field — becomes a ConfigInvalid naming the file and the field.
 */
export async function loadConfigFile(path: string | undefined): Promise<TriageConfig> {
  if (!path) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigInvalid(path, [`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigInvalid(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return configWithOverrides(json, DEFAULT_CONFIG, path);
}
