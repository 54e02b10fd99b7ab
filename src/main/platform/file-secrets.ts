// Secrets for the headless host: AES-256-GCM with a key file in the data folder (mode 0600).
// The Electron app uses safeStorage instead; this exists so tests and browsers can run the core.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../core/ports';

export function fileSecrets(dir: string): SecretStore {
  const keyFile = path.join(dir, 'host-secret.key');
  let key: Buffer | undefined;
  const getKey = () => {
    if (key) return key;
    if (fs.existsSync(keyFile)) key = Buffer.from(fs.readFileSync(keyFile, 'utf8'), 'base64');
    else {
      key = randomBytes(32);
      fs.writeFileSync(keyFile, key.toString('base64'), { mode: 0o600 });
    }
    return key;
  };
  return {
    // A key next to the data is not protection against someone who can read the folder.
    isStrong: async () => false,
    encrypt: async (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt: async (blob) => {
      const raw = Buffer.from(blob, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', getKey(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
