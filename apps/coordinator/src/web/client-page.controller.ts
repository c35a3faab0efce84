/**
 * The HTTP side of the `/client` page (the page itself is a static file, `web-assets.ts`):
 *
 * - `GET /client/info`: the experiment a page's join token admits to, as the page needs it
 *   before joining (its id, to restore the model stored for it; the input shape, to prepare
 *   images). The token goes as `Authorization: Bearer <token>`; without one the answer is the
 *   coordinator's only experiment (401 when it hosts several).
 * - `GET /client/data/:index`: demo partition `index` of that experiment, in
 *   `@fedzip/client-sdk`'s dataset bytes (8-bit pixels as one byte each). Needs the join token
 *   (401 otherwise); 400 for an index that is not a number, 404 for one past the partitions.
 */
import {
  BadRequestException,
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  Param,
  StreamableFile,
  UnauthorizedException,
} from '@nestjs/common';
import { type ClientInfo, encodeDatasetBytes } from '@fedzip/client-sdk';
import { ExperimentHost } from '../experiments/experiment-host.js';
import type { ExperimentRuntime } from '../experiments/experiment-runtime.js';

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** `/client/info` and `/client/data/:index`; see the module comment. */
@Controller('client')
export class ClientPageController {
  private readonly encoded = new WeakMap<ExperimentRuntime, Map<number, Promise<Uint8Array>>>();

  constructor(private readonly host: ExperimentHost) {}

  /** The experiment `token` admits to (any client), or the only one when no token is given. */
  private experimentFor(token: string | undefined, required: boolean): ExperimentRuntime {
    if (token === undefined) {
      const all = this.host.list();
      const open = (x: ExperimentRuntime) => x.setup.joinToken === '' && !x.setup.joinSecret;
      if (all.length === 1 && (!required || open(all[0]!))) return all[0]!;
      throw new UnauthorizedException('a valid join token is needed (Authorization: Bearer <token>)');
    }
    const admission = this.host.admit(token, null);
    if (!admission.ok) throw new UnauthorizedException(admission.reason);
    return admission.runtime;
  }

  @Get('info')
  @Header('Cache-Control', 'no-store')
  info(@Headers('authorization') authorization: string | undefined): ClientInfo {
    const { setup } = this.experimentFor(bearer(authorization), false);
    return {
      experimentId: setup.id,
      name: setup.config.name,
      rounds: setup.config.rounds,
      inputShape: setup.architecture.inputShape,
      numClasses: setup.architecture.numClasses,
      dataset: setup.config.data.dataset,
      partitions: setup.clientData ? setup.config.clients.count : 0,
      tokenRequired: setup.joinToken !== '' || setup.joinSecret !== undefined,
    };
  }

  @Get('data/:index')
  @Header('Cache-Control', 'no-store')
  async data(
    @Param('index') raw: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<StreamableFile> {
    const runtime = this.experimentFor(bearer(authorization), true);
    const { setup } = runtime;
    if (!/^\d{1,9}$/.test(raw)) throw new BadRequestException(`partition index "${raw}" is not a number`);
    const index = Number(raw);
    const count = setup.clientData ? setup.config.clients.count : 0;
    if (index >= count) {
      throw new NotFoundException(
        count === 0 ? 'this coordinator serves no demo data' : `no partition ${index}: there are ${count}`,
      );
    }
    let cache = this.encoded.get(runtime);
    if (!cache) this.encoded.set(runtime, (cache = new Map()));
    let bytes = cache.get(index);
    if (bytes === undefined) {
      bytes = setup.clientData!(index).then(encodeDatasetBytes);
      cache.set(index, bytes);
      bytes.catch(() => cache.delete(index));
    }
    const body = await bytes;
    return new StreamableFile(body, { type: 'application/octet-stream', length: body.byteLength });
  }
}
