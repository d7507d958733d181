/**
 * Where the command line finds its server and token: KPKI_URL and KPKI_TOKEN from the
 * environment, else the file `kpki login` wrote in the user's config folder
 * ($XDG_CONFIG_HOME/kpki, or ~/.config/kpki), mode 0600 in a 0700 folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Credentials {
  url: string;
  token: string;
  /** where they came from: "environment" or the config file's path */
  from: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'kpki');
}

export const configFile = (env: NodeJS.ProcessEnv = process.env) => path.join(configDir(env), 'config.json');

/** The server's base URL without a trailing slash or /api/v1. */
export const normalizeUrl = (url: string) => url.trim().replace(/\/+$/, '').replace(/\/api\/v1$/, '');

function readFile(env: NodeJS.ProcessEnv): { url?: string; token?: string } | null {
  try {
    return JSON.parse(fs.readFileSync(configFile(env), 'utf8')) as { url?: string; token?: string };
  } catch {
    return null;
  }
}

/** KPKI_URL / KPKI_TOKEN win over the stored file, each on its own; null when either is missing. */
export function readCredentials(env: NodeJS.ProcessEnv = process.env): Credentials | null {
  const stored = readFile(env);
  const url = env.KPKI_URL || stored?.url;
  const token = env.KPKI_TOKEN || stored?.token;
  if (!url || !token) return null;
  const from = env.KPKI_URL && env.KPKI_TOKEN ? 'environment' : configFile(env);
  return { url: normalizeUrl(url), token, from };
}

/** Stores the URL and token for the next commands: the folder 0700, the file 0600 (written so, never wider). */
export function saveCredentials(url: string, token: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = configFile(env);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ url: normalizeUrl(url), token }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}
