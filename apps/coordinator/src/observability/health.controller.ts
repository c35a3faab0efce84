import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HealthIndicators } from './health.indicators.js';

/**
 * `/health/live` (the process answers), `/health/ready` (the experiment loop is alive, the event
 * loop is not blocked, the store is writable) and `/health` (both). Terminus answers 200 with
 * `status: "ok"`, or 503 with `status: "error"` and the failing indicators under `error`.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  all(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.process(),
      () => this.indicators.loop(),
      () => this.indicators.eventLoop(),
      () => this.indicators.storeWritable(),
    ]);
  }

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.process()]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.loop(),
      () => this.indicators.eventLoop(),
      () => this.indicators.storeWritable(),
    ]);
  }
}
