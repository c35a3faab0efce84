import { describe, expect, it } from '@jest/globals';
import { httpCors, originAllowed } from './cors.js';

describe('originAllowed', () => {
  it('allows requests without Origin and same-origin pages by default, nothing else', () => {
    expect(originAllowed(undefined, '127.0.0.1:3000', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
    expect(originAllowed('http://evil.example', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('null', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:3000', undefined, [])).toBe(false);
  });

  it('allows the configured origins, or any with *', () => {
    expect(originAllowed('https://ok.example', 'h:1', ['https://ok.example'])).toBe(true);
    expect(originAllowed('https://no.example', 'h:1', ['https://ok.example'])).toBe(false);
    expect(originAllowed('https://any.example', 'h:1', ['*'])).toBe(true);
  });
});

describe('httpCors', () => {
  it('sends no CORS header by default', () => {
    expect(httpCors([])).toBeNull();
    expect(httpCors(['*'])).toMatchObject({ origin: '*', credentials: false });
    expect(httpCors(['https://a.example'])).toMatchObject({ origin: ['https://a.example'] });
  });
});
