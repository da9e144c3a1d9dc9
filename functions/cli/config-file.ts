import { readFile } from 'node:fs/promises';
import { ConfigInvalid, configWithOverrides, type TriageConfig } from '../core/config.js';
import { DEFAULT_CONFIG } from '../core/default-config.js';

/**
 * Reads a JSON configuration file laid over the defaults. Any problem — unreadable, not
 * JSON, a wrong field — becomes a ConfigInvalid naming the file and the field.
 */
export async function loadConfigFile(path: string | undefined): Promise<TriageConfig> {
  if (!path) return DEFAULT_CONFIG;
  return (await readConfigFile(path)).config;
}

/**
 * The overrides a JSON configuration file holds, as read (for passing on, as the stack
 * does), and the configuration they make over the defaults. Problems as loadConfigFile.
 */
export async function readConfigFile(path: string): Promise<{ overrides: unknown; config: TriageConfig }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigInvalid(path, [`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let overrides: unknown;
  try {
    overrides = JSON.parse(text);
  } catch (error) {
    throw new ConfigInvalid(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return { overrides, config: configWithOverrides(overrides, DEFAULT_CONFIG, path) };
}
