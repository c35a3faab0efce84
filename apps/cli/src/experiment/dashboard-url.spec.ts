import { describe, expect, it } from '@jest/globals';
import { parseExperiment } from '@fedzip/config';
import { dashboardUrl } from './dashboard-url.js';
import { resolveAdminToken } from './prepare.js';

describe('dashboardUrl', () => {
  it('puts the token in the fragment, escaped', () => {
    expect(dashboardUrl('http://127.0.0.1:8080', 'abc')).toBe('http://127.0.0.1:8080/dashboard/#token=abc');
    expect(dashboardUrl('http://h:1/', 'a b&c')).toBe('http://h:1/dashboard/#token=a%20b%26c');
  });
});

describe('resolveAdminToken', () => {
  const config = parseExperiment({ name: 't' });
  const withToken = parseExperiment({ name: 't', server: { adminToken: 'from-the-config-0123' } });

  it('prefers the option, then FEDZIP_ADMIN_TOKEN, then the config', () => {
    expect(resolveAdminToken(withToken, 'explicit', { FEDZIP_ADMIN_TOKEN: 'env' })).toBe('explicit');
    expect(resolveAdminToken(withToken, undefined, { FEDZIP_ADMIN_TOKEN: 'env' })).toBe('env');
    expect(resolveAdminToken(withToken, undefined, { FEDZIP_ADMIN_TOKEN: '' })).toBe('from-the-config-0123');
  });

  it('generates a fresh random token otherwise', () => {
    const a = resolveAdminToken(config, undefined, {});
    const b = resolveAdminToken(config, undefined, {});
    expect(a).toMatch(/^[\w-]{32}$/);
    expect(a).not.toBe(b);
  });
});
