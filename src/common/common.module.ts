import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { CaseCipher } from './case-cipher';
import { KeyStore } from './key-store';
import { PiiCipher } from './pii-cipher';

@Global()
@Module({
  providers: [Clock, PiiCipher, KeyStore, CaseCipher],
  exports: [Clock, PiiCipher, KeyStore, CaseCipher],
})
export class CommonModule {}
