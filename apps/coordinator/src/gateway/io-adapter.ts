import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO with limits set on purpose (its 1 MB default buffer drops large frames with a vague
 * error): the buffer is sized from the model by the caller, pings tolerate a client busy training.
 */
export class FedzipIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly overrides: Partial<ServerOptions>,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, { ...options, ...this.overrides } as ServerOptions);
  }
}
