import { Injectable } from '@nestjs/common';
import { KeyStore } from '../common/key-store';
import { PiiCipher } from '../common/pii-cipher';

const BATCH = 1000;
const BEFORE_EVERY_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Rotation of PII_ENCRYPTION_KEY for the data keys: every data key wrapped by an older key
 * (listed in PII_ENCRYPTION_OLD_KEYS) is unwrapped and wrapped again by the current one. The case
 * data is not touched: its ciphertexts are under the data keys, which do not change. Idempotent
 * (keys already wrapped by the current key are skipped), in batches; erased keys stay erased.
 * `npm run case-keys -- rotate` runs it (README, "Per-case keys").
 */
@Injectable()
export class KeyRotation {
  constructor(
    private readonly keyStore: KeyStore,
    private readonly pii: PiiCipher,
  ) {}

  async run(log: (line: string) => void = () => undefined): Promise<number> {
    let afterOwnerId = BEFORE_EVERY_UUID;
    let rewrapped = 0;
    for (;;) {
      const batch = await this.keyStore.findWrappedOtherwise(
        this.pii.currentKeyId,
        afterOwnerId,
        BATCH,
      );
      if (batch.length === 0) {
        break;
      }
      await this.keyStore.rewrap(
        batch.map((k) => ({
          ownerId: k.ownerId,
          wrapped: this.pii.encrypt(this.pii.decrypt(k.wrapped)),
        })),
      );
      afterOwnerId = batch[batch.length - 1].ownerId;
      rewrapped += batch.length;
      log(`Key rotation: ${rewrapped} data key(s) wrapped again`);
    }
    return rewrapped;
  }
}
