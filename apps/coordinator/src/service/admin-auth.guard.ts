import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { adminTokenMatches } from '../admin/admin-token.js';
import { COORDINATOR_OPTIONS, type CoordinatorServerOptions } from '../setup/tokens.js';

/** Whether `header` is `Bearer <token>` for the admin token (constant time). */
export function isAdminBearer(header: string | undefined, adminToken: string): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  return m !== null && adminTokenMatches(adminToken, m[1]);
}

/** The REST API's admin side: `Authorization: Bearer <admin token>`, else 401. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(COORDINATOR_OPTIONS) private readonly options: CoordinatorServerOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (isAdminBearer(req.headers.authorization, this.options.adminToken)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="fedzip admin"');
    throw new UnauthorizedException('the admin API needs `Authorization: Bearer <admin token>`');
  }
}
