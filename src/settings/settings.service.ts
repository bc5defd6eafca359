import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { FOLLOW_UP_OUTCOMES } from '../follow-ups/dto/follow-up.dto';
import { TERM_ENDING_SOON_DAYS } from '../follow-ups/follow-up-schedule';
import { EGRESS_REASONS } from '../stays/stays.types';
import { SettingsDto } from './dto/settings.dto';

@Injectable()
export class SettingsService {
  private readonly settings: SettingsDto;

  constructor(env: Environment) {
    // The environment is validated before Nest starts and never changes while it runs.
    this.settings = {
      timeZone: env.TZ_SERVICE,
      stay: {
        termMonths: env.STAY_TERM_MONTHS,
        maxExtensionMonths: env.STAY_MAX_EXTENSION_MONTHS,
        maxMonths: env.STAY_TERM_MONTHS + env.STAY_MAX_EXTENSION_MONTHS,
      },
      egressReasons: [...EGRESS_REASONS],
      followUpOutcomes: [...FOLLOW_UP_OUTCOMES],
      followUpSchedule: env.FOLLOW_UP_SCHEDULE.split(',')
        .map((offset) => offset.trim())
        .filter((offset) => offset.length > 0),
      termEndingWindowDays: TERM_ENDING_SOON_DAYS,
    };
  }

  current(): SettingsDto {
    return this.settings;
  }
}
