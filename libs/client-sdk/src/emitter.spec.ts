import { describe, expect, it } from '@jest/globals';
import { TypedEmitter } from './emitter.js';

interface Events {
  a: number;
  b: string;
}

class Probe extends TypedEmitter<Events> {
  fire<K extends keyof Events>(event: K, payload: Events[K]): void {
    this.emit(event, payload);
  }
}

describe('TypedEmitter', () => {
  it('calls listeners in order, once-listeners once, and stops after unsubscribe', () => {
    const e = new Probe();
    const seen: string[] = [];
    const off = e.on('a', (n) => seen.push(`on ${n}`));
    e.once('a', (n) => seen.push(`once ${n}`));
    e.fire('a', 1);
    e.fire('a', 2);
    off();
    e.fire('a', 3);
    expect(seen).toEqual(['on 1', 'once 1', 'on 2']);
    expect(e.listenerCount('a')).toBe(0);
  });

  it('reports a throwing listener and still calls the others', () => {
    const errors: unknown[] = [];
    const guarded = new (class extends TypedEmitter<Events> {
      constructor() {
        super((err, event) => errors.push([event, (err as Error).message]));
      }
      fire(n: number): void {
        this.emit('a', n);
      }
    })();
    const seen: number[] = [];
    guarded.on('a', () => {
      throw new Error('boom');
    });
    guarded.on('a', (n) => seen.push(n));
    guarded.fire(7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual([['a', 'boom']]);
  });
});
