import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Discipline, DISCIPLINES } from '../../common/actor';
import { IsNotBlank } from '../../common/validation';
import { NOTE_MAX_LENGTH, NOTE_VISIBILITIES, NoteVisibility } from '../casework.types';

export class CreateNoteDto {
  @ApiProperty({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest; reads are audited' })
  @IsString()
  @IsNotBlank()
  @MaxLength(NOTE_MAX_LENGTH)
  body: string;

  @ApiProperty({
    enum: NOTE_VISIBILITIES,
    description: "discipline: only team members of the author's discipline (team members only)",
  })
  @IsIn(NOTE_VISIBILITIES, { message: `visibility must be one of ${NOTE_VISIBILITIES.join(', ')}` })
  visibility: NoteVisibility;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person of the stay it is about' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;
}

export class NoteDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  personId: string | null;

  @ApiProperty({ enum: DISCIPLINES, nullable: true })
  discipline: Discipline | null;

  @ApiProperty({ enum: NOTE_VISIBILITIES })
  visibility: NoteVisibility;

  @ApiProperty({ format: 'uuid' })
  authorId: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class NoteWithBodyDto extends NoteDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  body: string | null;
}
