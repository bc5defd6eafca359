import { ApiProperty } from '@nestjs/swagger';
import { RELATIONSHIPS, Relationship } from '../../referrals/referral.types';

/** One person of the family housed by a stay, as the people who house her need to know her. */
export class FamilyMemberDto {
  @ApiProperty({ format: 'uuid', description: 'The same id as in `occupants`' })
  personId: string;

  @ApiProperty({ enum: ['woman', 'dependant'] })
  role: 'woman' | 'dependant';

  @ApiProperty({
    example: 'María José Muñoz',
    nullable: true,
    type: String,
    description: 'Null once the case was erased',
  })
  fullName: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2019-03-01' })
  birthDate: string | null;

  @ApiProperty({ nullable: true, enum: RELATIONSHIPS, description: 'Null for the woman' })
  relationship: Relationship | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The bed held now, or last held',
  })
  bedId: string | null;
}
