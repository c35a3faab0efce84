/**
 * The HTTP side of the `/client` page (the page itself is a static file, `web-assets.ts`):
 *
 * - `GET /client/info`: the running experiment as a page needs it before joining (its id, to
 *   restore the model stored for it; the input shape, to prepare images). Public.
 * - `GET /client/data/:index`: demo partition `index`, in `@fedzip/client-sdk`'s dataset bytes
 *   (8-bit pixels as one byte each). Needs the join token as `Authorization: Bearer <token>`
 *   (401 otherwise); 400 for an index that is not a number, 404 for one past the partitions.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Controller,
  Get,
  Header,
  Headers,
  Inject,
  NotFoundException,
  Param,
  StreamableFile,
  UnauthorizedException,
} from '@nestjs/common';
import { type ClientInfo, encodeDatasetBytes } from '@fedzip/client-sdk';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import { EXPERIMENT_SETUP } from '../setup/tokens.js';

/** Whether `presented` is the join token (constant time; an empty join token accepts anything). */
export function joinTokenMatches(expected: string, presented: string | undefined): boolean {
  if (expected === '') return true;
  if (presented === undefined || presented.length > 4096) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** `/client/info` and `/client/data/:index`; see the module comment. */
@Controller('client')
export class ClientPageController {
  private readonly encoded = new Map<number, Promise<Uint8Array>>();

  constructor(@Inject(EXPERIMENT_SETUP) private readonly setup: ExperimentSetup) {}

  @Get('info')
  @Header('Cache-Control', 'no-store')
  info(): ClientInfo {
    const { setup } = this;
    return {
      experimentId: setup.id,
      name: setup.config.name,
      rounds: setup.config.rounds,
      inputShape: setup.architecture.inputShape,
      numClasses: setup.architecture.numClasses,
      dataset: setup.config.data.dataset,
      partitions: setup.clientData ? setup.config.clients.count : 0,
      tokenRequired: setup.joinToken !== '',
    };
  }

  @Get('data/:index')
  @Header('Cache-Control', 'no-store')
  async data(
    @Param('index') raw: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<StreamableFile> {
    if (!joinTokenMatches(this.setup.joinToken, bearer(authorization))) {
      throw new UnauthorizedException('a valid join token is needed (Authorization: Bearer <token>)');
    }
    if (!/^\d{1,9}$/.test(raw)) throw new BadRequestException(`partition index "${raw}" is not a number`);
    const index = Number(raw);
    const count = this.setup.clientData ? this.setup.config.clients.count : 0;
    if (index >= count) {
      throw new NotFoundException(
        count === 0 ? 'this coordinator serves no demo data' : `no partition ${index}: there are ${count}`,
      );
    }
    let bytes = this.encoded.get(index);
    if (bytes === undefined) {
      bytes = this.setup.clientData!(index).then(encodeDatasetBytes);
      this.encoded.set(index, bytes);
      bytes.catch(() => this.encoded.delete(index));
    }
    const body = await bytes;
    return new StreamableFile(body, { type: 'application/octet-stream', length: body.byteLength });
  }
}
