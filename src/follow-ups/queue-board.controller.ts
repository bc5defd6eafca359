import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { JwtService } from '@nestjs/jwt';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { Config } from '../config/config';
import {
  QUEUE_BOARD_COOKIE,
  QUEUE_BOARD_PATH,
  QUEUE_BOARD_SCOPE,
  QUEUE_BOARD_SESSION_SECONDS,
} from './queue-board';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queues')
export class QueueBoardController {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: Config,
  ) {}

  /**
   * A browser cannot send a bearer token when it opens a page: an admin posts here with the
   * token and gets a 15-minute HttpOnly cookie, valid only under /admin/queues and only for
   * the board (it carries no role, so the API refuses it).
   */
  @Post('session')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Open the job queue board in a browser (admin): sets a short cookie' })
  @ApiErrors(STAFF_ERRORS)
  @ApiNoContentResponse({ description: `Sets the ${QUEUE_BOARD_COOKIE} cookie` })
  async session(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = await this.jwt.signAsync(
      {
        sub: actor.id,
        boardSession: actor.kind === 'staff' ? actor.sessionId : undefined,
        scope: QUEUE_BOARD_SCOPE,
      },
      { expiresIn: QUEUE_BOARD_SESSION_SECONDS },
    );
    const secure = this.config.app.production ? '; Secure' : '';
    void reply.header(
      'Set-Cookie',
      `${QUEUE_BOARD_COOKIE}=${token}; Path=${QUEUE_BOARD_PATH}; Max-Age=${QUEUE_BOARD_SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`,
    );
  }
}
