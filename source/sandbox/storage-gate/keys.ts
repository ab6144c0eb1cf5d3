/**
 * Storage account keys. Azure gives each account two 512-bit keys; the sandbox derives key1 from
 * a per-sandbox secret and the account name, so that the key is stable for the sandbox's life
 * without living in the world model, and the ARM listKeys handler, SAS signing in tests and
 * Azurite all agree on it.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class AccountKeys {
  private readonly secret = randomBytes(32);

  keyFor(accountName: string): Buffer {
    return createHmac('sha512', this.secret).update(accountName.toLowerCase()).digest();
  }

  /** The key as the Azure portal and listKeys show it: base64. */
  keyBase64(accountName: string): string {
    return this.keyFor(accountName).toString('base64');
  }
}
