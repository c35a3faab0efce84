import { describe, expect, it } from '@jest/globals';
import {
  checkJoinToken,
  isSignedJoinToken,
  issueJoinToken,
  joinTokenExperiment,
  newJoinSecret,
} from './join-token.js';

describe('signed join tokens', () => {
  const secret = newJoinSecret();
  const now = 1_800_000_000;

  it('round-trips a grant, bound or not, with or without expiry', () => {
    const open = issueJoinToken(secret, { experimentId: 'exp-1' });
    expect(isSignedJoinToken(open)).toBe(true);
    expect(joinTokenExperiment(open)).toBe('exp-1');
    expect(checkJoinToken(open, secret, 'any-client', now)).toEqual({
      ok: true,
      grant: { experimentId: 'exp-1' },
    });
    const bound = issueJoinToken(secret, { experimentId: 'exp-1', clientId: 'dev-7', expiresAt: now + 60 });
    expect(checkJoinToken(bound, secret, 'dev-7', now)).toEqual({
      ok: true,
      grant: { experimentId: 'exp-1', clientId: 'dev-7', expiresAt: now + 60 },
    });
    expect(/^[\x21-\x7e]+$/.test(bound)).toBe(true); // printable ASCII without spaces (the protocol's rule)
    expect(issueJoinToken(secret, { experimentId: 'exp-1' })).not.toBe(open); // a nonce each time
  });

  it('refuses another secret, a tampered payload, expiry and the wrong client', () => {
    const t = issueJoinToken(secret, { experimentId: 'exp-1', clientId: 'dev-7', expiresAt: now + 60 });
    expect(checkJoinToken(t, newJoinSecret(), 'dev-7', now)).toMatchObject({
      ok: false,
      fault: 'BAD_SIGNATURE',
    });
    const [p, payload, m] = t.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), e: 'exp-2' }),
    ).toString('base64url');
    expect(checkJoinToken(`${p}.${forged}.${m}`, secret, 'dev-7', now)).toMatchObject({
      ok: false,
      fault: 'BAD_SIGNATURE',
    });
    expect(checkJoinToken(t, secret, 'dev-7', now + 60)).toMatchObject({ ok: false, fault: 'EXPIRED' });
    expect(checkJoinToken(t, secret, 'dev-8', now)).toMatchObject({ ok: false, fault: 'WRONG_CLIENT' });
  });

  it('calls junk malformed without throwing', () => {
    for (const junk of [
      '',
      'fz1.',
      'fz1..',
      'fz1.x.y',
      'abc',
      'fz1.!!!.sig',
      `fz1.${Buffer.from('[1]').toString('base64url')}.x`,
    ]) {
      expect(checkJoinToken(junk, secret, 'c', now)).toMatchObject({ ok: false, fault: 'MALFORMED' });
      expect(joinTokenExperiment(junk)).toBeUndefined();
    }
  });
});
