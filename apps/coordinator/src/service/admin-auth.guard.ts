import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { SERVICE_OPTIONS, type ServiceOptions } from './service-tokens.js';

/** Whether `header` is `Bearer <token>` for the admin token (constant time). */
export function isAdminBearer(header: string | undefined, adminToken: string): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  if (!m || adminToken === '') return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The REST API's admin side: `Authorization: Bearer <admin token>`, else 401. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (isAdminBearer(req.headers.authorization, this.options.adminToken)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="fedzip admin"');
    throw new UnauthorizedException('the admin API needs `Authorization: Bearer <admin token>`');
  }
}
