// A file of its own: jest gives each test file a fresh tfjs, whose wasm backend is not yet
// initialised, so that a bad binary path really makes initialisation fail.
import { describe, expect, it, jest } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';

describe('initBackend fallback', () => {
  it('falls back to cpu with a warning when wasm cannot initialise, and remembers it', async () => {
    const warn = jest.fn<(message: string) => void>();
    const quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const quietErr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const info = await initBackend({ wasmPath: '/nonexistent/fedzip-wasm/', warn });
      expect(info.name).toBe('cpu');
      expect(info.requested).toBe('wasm');
      expect(info.fallbackReason).toEqual(expect.any(String));
      expect(tf.getBackend()).toBe('cpu');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/falling back to the cpu backend/);
      const again = await initBackend({ warn });
      expect(again.name).toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
    } finally {
      quiet.mockRestore();
      quietErr.mockRestore();
    }
  });
});
