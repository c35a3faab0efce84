import { describe, expect, it } from '@jest/globals';
import {
  ADMIN_NAMESPACE,
  CLIENT_EVENTS,
  CLIENT_NAMESPACE,
  SERVER_EVENTS,
  isClientEvent,
  isEventName,
  isServerEvent,
} from './events.js';

describe('events', () => {
  it('names the protocol events', () => {
    expect(CLIENT_EVENTS).toEqual(['hello', 'update', 'eval-result']);
    expect(SERVER_EVENTS).toEqual(['welcome', 'model', 'assign', 'ack', 'reject', 'eval-request', 'error']);
  });

  it('keeps the two directions disjoint and clear of Socket.IO reserved names', () => {
    const reserved = [
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ];
    for (const e of CLIENT_EVENTS) expect(SERVER_EVENTS).not.toContain(e);
    for (const e of [...CLIENT_EVENTS, ...SERVER_EVENTS]) expect(reserved).not.toContain(e);
  });

  it('guards names safely on any value', () => {
    expect(isClientEvent('update')).toBe(true);
    expect(isClientEvent('welcome')).toBe(false);
    expect(isServerEvent('welcome')).toBe(true);
    expect(isServerEvent('hello')).toBe(false);
    for (const v of ['__proto__', 'constructor', 'hasOwnProperty', null, undefined, 1, {}, ['hello']]) {
      expect(isEventName(v)).toBe(false);
    }
  });

  it('separates the admin namespace from the clients’', () => {
    expect(CLIENT_NAMESPACE).toBe('/');
    expect(ADMIN_NAMESPACE).toBe('/admin');
  });
});
