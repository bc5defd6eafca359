import { Injectable } from '@nestjs/common';
import { Config } from '../config/config';
import { FOLLOW_UP_OUTCOMES } from '../follow-ups/dto/follow-up.dto';
import { TERM_ENDING_SOON_DAYS } from '../follow-ups/follow-up-schedule';
import { EGRESS_REASONS } from '../stays/stays.types';
import { SettingsDto } from './dto/settings.dto';

@Injectable()
export class SettingsService {
  private readonly settings: SettingsDto;

  constructor(config: Config) {
    // The configuration is validated before Nest starts and never changes while it runs.
    this.settings = {
      timeZone: config.time.zone,
      stay: {
        termMonths: config.stay.termMonths,
        maxExtensionMonths: config.stay.maxExtensionMonths,
        maxMonths: config.stay.termMonths + config.stay.maxExtensionMonths,
        holdMinutes: config.stay.holdMinutes,
      },
      egressReasons: [...EGRESS_REASONS],
      followUpOutcomes: [...FOLLOW_UP_OUTCOMES],
      followUpSchedule: [...config.followUps.scheduleAsWritten],
      termEndingWindowDays: TERM_ENDING_SOON_DAYS,
    };
  }

  current(): SettingsDto {
    return this.settings;
  }
}
