import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { Config, parseConfig } from './config';

export interface LoadedConfig {
  config: Config;
  warnings: string[];
}

function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? parse(readFileSync(path)) : {};
}

/**
 * Reads `.env` and `.env.local` under the real environment (which always wins), and outside
 * production generates the two secrets once into the git-ignored `.env.local`, so that a fresh
 * clone runs with one command. In production a missing secret stops start-up.
 */
export function loadConfig(cwd = process.cwd()): LoadedConfig {
  const warnings: string[] = [];
  const localPath = join(cwd, '.env.local');
  const production =
    (process.env.NODE_ENV ?? readEnvFile(join(cwd, '.env')).NODE_ENV) === 'production';
  // .env.local holds development secrets generated below; production never reads it.
  const merged: Record<string, string | undefined> = {
    ...readEnvFile(join(cwd, '.env')),
    ...(production ? {} : readEnvFile(localPath)),
    ...process.env,
  };
  if (merged.NODE_ENV !== 'production') {
    const generated: Record<string, string> = {};
    if (!merged.JWT_SECRET) {
      generated.JWT_SECRET = randomBytes(48).toString('base64url');
    }
    if (!merged.PII_ENCRYPTION_KEY) {
      generated.PII_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    }
    const names = Object.keys(generated);
    if (names.length > 0) {
      const lines = names.map((name) => `${name}=${generated[name]}`).join('\n');
      appendFileSync(localPath, `${lines}\n`, { mode: 0o600 });
      Object.assign(merged, generated);
      warnings.push(
        `Generated ${names.join(' and ')} into .env.local for development; set them explicitly in production`,
      );
    }
  }
  for (const [key, value] of Object.entries(merged)) {
    if (process.env[key] === undefined && value !== undefined) {
      process.env[key] = value;
    }
  }
  return { config: parseConfig(merged), warnings };
}
