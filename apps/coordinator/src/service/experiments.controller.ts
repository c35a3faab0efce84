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
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
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
@ApiTags('experiments')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('api/experiments')
@UseGuards(AdminAuthGuard)
export class ExperimentsController {
  constructor(private readonly service: ExperimentService) {}

  @ApiOperation({ summary: 'Create an experiment from a YAML or JSON config (validated like the CLI does)' })
  @ApiConsumes('text/yaml', 'application/json')
  @ApiBody({ description: 'the experiment config (docs/config.md)', schema: { type: 'string' } })
  @ApiResponse({ status: 201, description: 'created (status `created`)' })
  @ApiResponse({ status: 400, description: 'invalid config: `message` and `issues` (path, line)' })
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

  @ApiOperation({ summary: 'List the experiments in the store' })
  @Get()
  list(): ExperimentListItem[] {
    return this.service.list();
  }

  @ApiOperation({ summary: 'Status, round, model hash, clients and metrics of an experiment' })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 404, description: 'no such experiment' })
  @Get(':id')
  get(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.detail(id));
  }

  @ApiOperation({ summary: 'Prepare and run it (from its last checkpoint, if any)' })
  @ApiResponse({ status: 409, description: 'already running, or finished' })
  @Post(':id/start')
  @HttpCode(200)
  start(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.start(id));
  }

  @ApiOperation({ summary: 'Finish the open round, then open no other' })
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.pause(id));
  }

  @ApiOperation({ summary: 'Undo pause' })
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.resume(id));
  }

  @ApiOperation({ summary: 'Stop (it can be started again later)' })
  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<ExperimentDetail> {
    return guarded(() => this.service.stop(id));
  }

  @ApiOperation({ summary: 'Issue a signed join token, optionally bound to a client id and expiring' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { clientId: { type: 'string' }, ttlSeconds: { type: 'integer', minimum: 1 } },
    },
  })
  @Post(':id/tokens')
  @HttpCode(201)
  tokens(@Param('id') id: string, @Body() body: unknown) {
    const parsed = TokenRequest.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(z.prettifyError(parsed.error));
    return guarded(() => this.service.issueToken(id, parsed.data));
  }

  /** The report page of the experiment so far (self-contained HTML). */
  @ApiOperation({ summary: 'The report page so far (self-contained HTML)' })
  @Get(':id/report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  report(@Param('id') id: string): Promise<string> {
    return guarded(() => this.service.report(id));
  }

  /** tfjs `model.json`; its manifest points at `model/weights.bin` (relative to this URL). */
  @ApiOperation({ summary: 'The global model as tfjs model.json (weights at model/weights.bin)' })
  @Get(':id/model')
  async model(@Param('id') id: string) {
    const files = await guarded(() => this.modelOf(id));
    return files.modelJson;
  }

  @ApiOperation({ summary: 'The weights of the global model (tfjs weights.bin)' })
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
