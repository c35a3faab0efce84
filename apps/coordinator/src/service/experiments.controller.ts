import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ConfigError, type ExperimentConfig, parseExperiment, parseExperimentText } from '@fedzip/config';
import type { Request, Response } from 'express';
import * as z from 'zod';
import type { ExperimentDetail, ExperimentListItem } from '../api/experiment-views.js';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { ExperimentService, ServiceError } from './experiment-service.js';
import { modelArtifactsOf } from './model-export.js';

const TokenRequest = z
  .object({
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)
      .optional(),
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 3600)
      .optional(),
  })
  .strict();

/** ServiceErrors as HTTP errors. */
function http(e: unknown): never {
  if (e instanceof ServiceError) {
    if (e.kind === 'not-found') throw new NotFoundException(e.message);
    if (e.kind === 'conflict') throw new ConflictException(e.message);
    throw new BadRequestException(e.message);
  }
  throw e;
}

async function guarded<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    return http(e);
  }
}

/**
 * `/api/experiments`: create from a YAML or JSON config (validated with the CLI's messages), list,
 * inspect, control, fetch the model and the report, and issue join tokens. Admin token required.
 */
@Controller('api/experiments')
@UseGuards(AdminAuthGuard)
export class ExperimentsController {
  constructor(private readonly service: ExperimentService) {}

  @Post()
  @HttpCode(201)
  create(@Req() req: Request, @Body() body: unknown): ExperimentDetail {
    let config: ExperimentConfig;
    try {
      config =
        typeof body === 'string'
          ? parseExperimentText(body, 'the request body', req.is('json') ? 'json' : undefined)
          : parseExperiment(body ?? {}, { source: 'the request body' });
    } catch (e) {
      if (e instanceof ConfigError) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: e.message,
          issues: e.issues,
        });
      }
      throw e;
    }
    return this.service.create(config);
  }

  @Get()
  list(): ExperimentListItem[] {
    return this.service.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.detail(id));
  }

  @Post(':id/start')
  @HttpCode(200)
  start(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.start(id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.pause(id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.resume(id));
  }

  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.stop(id));
  }

  @Post(':id/tokens')
  @HttpCode(201)
  tokens(@Param('id') id: string, @Body() body: unknown) {
    const parsed = TokenRequest.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(z.prettifyError(parsed.error));
    return guarded(() => this.service.issueToken(id, parsed.data));
  }

  /** The report page of the experiment so far (self-contained HTML). */
  @Get(':id/report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  report(@Param('id') id: string): Promise<string> {
    return guarded(() => this.service.report(id));
  }

  /** tfjs `model.json`; its manifest points at `model/weights.bin` (relative to this URL). */
  @Get(':id/model')
  async model(@Param('id') id: string) {
    const files = await guarded(() => this.modelOf(id));
    return files.modelJson;
  }

  @Get(':id/model/weights.bin')
  @Header('Content-Type', 'application/octet-stream')
  async weights(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const files = await guarded(() => this.modelOf(id));
    res.end(Buffer.from(files.weights.buffer, files.weights.byteOffset, files.weights.byteLength));
  }

  private async modelOf(id: string) {
    const runtime = this.service.runtimeOf(id);
    if (!runtime)
      throw new ServiceError('conflict', `experiment ${id} has not been started by this coordinator`);
    return modelArtifactsOf(runtime.setup.architecture, runtime.runner.weights, 'model/weights.bin');
  }
}
