import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AuditQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  resourceId: string;
}

export class AuditEventDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;

  @ApiProperty()
  actorRole: string;

  @ApiProperty({ example: 'stay.admitted' })
  action: string;

  @ApiProperty({ example: 'stay' })
  resourceType: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  resourceId: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;
}
