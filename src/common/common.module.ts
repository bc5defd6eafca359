import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { PiiCipher } from './pii-cipher';

@Global()
@Module({
  providers: [Clock, PiiCipher],
  exports: [Clock, PiiCipher],
})
export class CommonModule {}
