import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from './domain-error';
import { KeyStore, StoredKey } from './key-store';
import { PiiCipher } from './pii-cipher';

const ALGORITHM = 'aes-256-gcm';
/** `v2.<ownerId>.<iv>.<data>.<tag>`: under the owner's data key, the owner id bound as AAD. */
const FORMAT = 'v2';
const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 30_000;

/** Encrypts what is written about one case (or house) under its data key. */
export interface CaseWriter {
  readonly ownerId: string;
  encrypt(plaintext: string): string;
  encryptJson(value: unknown): string;
}

/**
 * Decrypts what was written about the cases it was made for: `null` for an erased case's text
 * (its key is gone), and ciphertexts of the global key (`v1`, before the migration) as well.
 */
export interface CaseReader {
  decrypt(envelope: string): string | null;
  decryptJson<T>(envelope: string): T | null;
  /**
   * A column that held plain text before its encryption (staff's reasons): a ciphertext is
   * decrypted, text written before the migration job reached it reads as it is.
   */
  text(value: string): string | null;
  /** Whether the owner's key was destroyed. */
  erased(ownerId: string): boolean;
}

/** Owner id → its data key, or null for an erased owner; entries live CACHE_TTL_MS. */
class KeyCache {
  private readonly entries = new Map<string, { key: Buffer | null; until: number }>();

  get(ownerId: string): Buffer | null | undefined {
    const entry = this.entries.get(ownerId);
    if (entry === undefined) {
      return undefined;
    }
    this.entries.delete(ownerId);
    if (entry.until < Date.now()) {
      return undefined;
    }
    this.entries.set(ownerId, entry); // most recently used last
    return entry.key;
  }

  set(ownerId: string, key: Buffer | null): void {
    this.entries.delete(ownerId);
    this.entries.set(ownerId, { key, until: Date.now() + CACHE_TTL_MS });
    if (this.entries.size > CACHE_ENTRIES) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(ownerId: string): void {
    this.entries.delete(ownerId);
  }
}

const ENVELOPE = /^v[12]\.[\w-]+\.[\w-]+\.[\w-]*\.[\w-]+$/;

/** Whether a stored value is a ciphertext (of either format) rather than legacy plain text. */
export function isCiphertext(value: string): boolean {
  return ENVELOPE.test(value);
}

export function ownerOf(envelope: string): string | null {
  const [format, ownerId] = envelope.split('.', 2);
  return format === FORMAT ? ownerId : null;
}

/**
 * Envelope encryption (API.md, "Data protection"): every case has a random data key, stored in
 * the key store wrapped by PII_ENCRYPTION_KEY; its personal data and everything staff write
 * about its people is encrypted under it, so destroying the key erases the case, backups
 * included. Unwrapped keys are cached in-process (bounded, 30 s), so a family's page costs one
 * key-store round trip, not one per field. Blind indexes and fingerprints stay with PiiCipher's
 * global index key: they must keep matching across cases.
 */
@Injectable()
export class CaseCipher {
  private readonly cache = new KeyCache();

  constructor(
    private readonly pii: PiiCipher,
    private readonly keyStore: KeyStore,
  ) {}

  /** The owner's writer; makes its key on first use. INVALID_STATE once the owner was erased. */
  async writer(ownerId: string): Promise<CaseWriter> {
    let key = this.cache.get(ownerId);
    if (key === undefined) {
      const fresh = randomBytes(32);
      const stored = await this.keyStore.createOrFind(
        ownerId,
        this.pii.encrypt(fresh.toString('base64')),
      );
      key = this.unwrap(stored);
      this.cache.set(ownerId, key);
    }
    if (key === null) {
      throw new DomainError('INVALID_STATE', 'The case was erased');
    }
    return writerOf(ownerId, key);
  }

  /**
   * Writers for many owners, with one key-store round trip for the keys not cached (the
   * migration job). Erased owners are left out of the map.
   */
  async writers(ownerIds: readonly string[]): Promise<Map<string, CaseWriter>> {
    const keys = new Map<string, Buffer | null>();
    const missing: StoredKey[] = [];
    for (const ownerId of new Set(ownerIds)) {
      const key = this.cache.get(ownerId);
      if (key === undefined) {
        missing.push({ ownerId, wrapped: this.pii.encrypt(randomBytes(32).toString('base64')) });
      } else {
        keys.set(ownerId, key);
      }
    }
    for (const stored of await this.keyStore.createOrFindMany(missing)) {
      const key = this.unwrap(stored);
      this.cache.set(stored.ownerId, key);
      keys.set(stored.ownerId, key);
    }
    const writers = new Map<string, CaseWriter>();
    for (const [ownerId, key] of keys) {
      if (key !== null) {
        writers.set(ownerId, writerOf(ownerId, key));
      }
    }
    return writers;
  }

  /** A reader of the owners' ciphertexts: one key-store round trip for those not cached. */
  async reader(ownerIds: Iterable<string>): Promise<CaseReader> {
    const keys = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const ownerId of new Set(ownerIds)) {
      const key = this.cache.get(ownerId);
      if (key === undefined) {
        missing.push(ownerId);
      } else {
        keys.set(ownerId, key);
      }
    }
    for (const stored of await this.keyStore.find(missing)) {
      const key = this.unwrap(stored);
      this.cache.set(stored.ownerId, key);
      keys.set(stored.ownerId, key);
    }
    const decrypt = (envelope: string): string | null => {
      const ownerId = ownerOf(envelope);
      if (ownerId === null) {
        return this.pii.decrypt(envelope);
      }
      const key = keys.get(ownerId);
      if (key === undefined) {
        throw new Error('Cannot decrypt: no data key was loaded for this ciphertext');
      }
      return key === null ? null : open(ownerId, key, envelope);
    };
    return {
      decrypt,
      decryptJson: <T>(envelope: string): T | null => {
        const text = decrypt(envelope);
        return text === null ? null : (JSON.parse(text) as T);
      },
      text: (value) => (isCiphertext(value) ? decrypt(value) : value),
      erased: (ownerId) => keys.get(ownerId) === null,
    };
  }

  /**
   * Re-encrypts one stored value under the writer's key: a ciphertext of the global key
   * (v1) is decrypted first; anything else not yet a ciphertext is legacy plain text.
   */
  rekey(writer: CaseWriter, value: string): string {
    return writer.encrypt(
      isCiphertext(value) && ownerOf(value) === null ? this.pii.decrypt(value) : value,
    );
  }

  /** Destroys the owners' keys (idempotent) and forgets them here. */
  async destroy(ownerIds: readonly string[]): Promise<void> {
    for (const ownerId of ownerIds) {
      this.cache.set(ownerId, null);
    }
    await this.keyStore.destroy(ownerIds);
  }

  private unwrap(stored: StoredKey): Buffer | null {
    return stored.wrapped === null ? null : Buffer.from(this.pii.decrypt(stored.wrapped), 'base64');
  }
}

function writerOf(ownerId: string, key: Buffer): CaseWriter {
  const encrypt = (plaintext: string): string => seal(ownerId, key, plaintext);
  return { ownerId, encrypt, encryptJson: (value) => encrypt(JSON.stringify(value)) };
}

function seal(ownerId: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(ownerId, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, ownerId, iv, data, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

function open(ownerId: string, key: Buffer, envelope: string): string {
  const [, , iv, data, tag] = envelope.split('.');
  if (tag === undefined) {
    throw new Error('Cannot decrypt: malformed ciphertext');
  }
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(ownerId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
