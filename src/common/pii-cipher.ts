import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Config } from '../config/config';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';

interface Key {
  id: string;
  secret: Buffer;
}

function keyId(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

function parseOldKeys(oldKeys: readonly string[]): Key[] {
  return oldKeys.map((base64) => {
    const secret = Buffer.from(base64, 'base64');
    if (secret.length !== 32) {
      throw new Error('PII_ENCRYPTION_OLD_KEYS must hold 32-byte base64 keys');
    }
    return { id: keyId(secret), secret };
  });
}

/**
 * Application-level encryption of personal data (AES-256-GCM). Every ciphertext names the key
 * that wrote it (`v1.<keyId>.<iv>.<data>.<tag>`), so the key can rotate: new writes use
 * PII_ENCRYPTION_KEY, old rows stay readable through PII_ENCRYPTION_OLD_KEYS.
 */
@Injectable()
export class PiiCipher {
  private readonly current: Key;
  private readonly keys = new Map<string, Buffer>();
  private readonly blindIndexKey: Buffer;
  private readonly fingerprintKey: Buffer;
  private readonly nameTokenKey: Buffer;
  private readonly idempotencyKeyKey: Buffer;

  constructor({ pii }: Config) {
    const secret = Buffer.from(pii.encryptionKey, 'base64');
    this.current = { id: keyId(secret), secret };
    for (const key of [this.current, ...parseOldKeys(pii.oldKeys)]) {
      this.keys.set(key.id, key.secret);
    }
    // The keyed indexes (blind index, request fingerprint) must outlive a rotation of the
    // cipher key, or earlier referrals stop matching: they derive from PII_INDEX_KEY, which
    // never rotates, and fall back to the cipher key for deployments that have not rotated yet.
    // Derived keys, so an index never reveals anything about the key behind it.
    const indexSecret = pii.indexKey ? Buffer.from(pii.indexKey, 'base64') : secret;
    this.blindIndexKey = Buffer.from(
      hkdfSync('sha256', indexSecret, Buffer.alloc(0), 'refugio blind index v1', 32),
    );
    this.fingerprintKey = Buffer.from(
      hkdfSync('sha256', indexSecret, Buffer.alloc(0), 'refugio request fingerprint v1', 32),
    );
    this.nameTokenKey = Buffer.from(
      hkdfSync('sha256', indexSecret, Buffer.alloc(0), 'refugio name token v1', 32),
    );
    this.idempotencyKeyKey = Buffer.from(
      hkdfSync('sha256', indexSecret, Buffer.alloc(0), 'refugio idempotency key v1', 32),
    );
  }

  /** The id of PII_ENCRYPTION_KEY, as new ciphertexts name it (key rotation compares it). */
  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.current.secret, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, this.current.id, iv, data, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(envelope: string): string {
    const [format, id, iv, data, tag] = envelope.split('.');
    const secret = this.keys.get(id);
    if (format !== FORMAT || secret === undefined || tag === undefined) {
      throw new Error(`Cannot decrypt: unknown key id or format (${format}.${id})`);
    }
    const decipher = createDecipheriv(ALGORITHM, secret, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(envelope: string): T {
    return JSON.parse(this.decrypt(envelope)) as T;
  }

  /**
   * A keyed HMAC of a normalised identifier: equal documents give equal indexes, so staff can
   * find earlier referrals of the same woman without the document being stored in clear.
   */
  blindIndex(value: string): string {
    const normalised = value
      .normalize('NFKC')
      .replace(/[\s.-]/g, '')
      .toUpperCase();
    return createHmac('sha256', this.blindIndexKey).update(normalised).digest('hex');
  }

  /**
   * A keyed HMAC of a text as given (no normalisation), to tell whether two requests were equal
   * without keeping them: a bare hash of a body holding a name and a document could be
   * confirmed by anyone who guesses them.
   */
  fingerprint(value: string): string {
    return createHmac('sha256', this.fingerprintKey).update(value, 'utf8').digest('base64url');
  }

  /**
   * The blind index of one word of a name (already folded by `nameWords`): equal words give
   * equal tokens, so staff can find a person by a word of her name while the database holds no
   * name in clear. 16 bytes of the HMAC: collisions stay out of reach, and the index is half
   * the size.
   */
  nameToken(word: string): Buffer {
    return createHmac('sha256', this.nameTokenKey).update(word, 'utf8').digest().subarray(0, 16);
  }

  /**
   * What is stored of an Idempotency-Key: a keyed HMAC, so that a database reader cannot take a
   * caller's keys (some clients put names or case numbers in them) and equal keys still match.
   */
  idempotencyKey(key: string): string {
    return createHmac('sha256', this.idempotencyKeyKey).update(key, 'utf8').digest('base64url');
  }
}
