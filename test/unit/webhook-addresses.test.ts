import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIPv6 } from '../../worker/webhooks/addresses.js';
import { isValidSecret, generateSecret } from '../../worker/webhooks/secret.js';
import { checkUrl, type Resolve } from '../../worker/webhooks/url-policy.js';

describe('webhook address classes', () => {
  it.each([
    ['8.8.8.8', 'public'], ['93.184.215.14', 'public'], ['1.1.1.1', 'public'], ['172.32.0.1', 'public'], ['100.128.0.1', 'public'],
    ['0.0.0.0', 'private'], ['0.1.2.3', 'private'], ['10.0.0.1', 'private'], ['100.64.0.1', 'private'], ['100.127.255.255', 'private'],
    ['127.0.0.1', 'private'], ['127.255.255.254', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'], ['192.0.0.8', 'private'], ['192.0.2.1', 'private'], ['198.18.0.1', 'private'],
    ['203.0.113.9', 'private'], ['224.0.0.1', 'private'], ['255.255.255.255', 'private'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'],
    ['2606:4700:4700::1111', 'public'], ['2a00:1450:4001:81d::200e', 'public'], ['[2606:4700::1]', 'public'],
    ['::', 'private'], ['::1', 'private'], ['[::1]', 'private'], ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
    ['ff02::1', 'private'], ['2001:db8::1', 'private'], ['2001::1', 'private'], ['fec0::1', 'private'], ['::127.0.0.1', 'private'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['febf::1', 'link-local'],
    // IPv6 forms of IPv4 addresses go where the IPv4 address goes
    ['::ffff:127.0.0.1', 'private'], ['::ffff:7f00:1', 'private'], ['::ffff:169.254.169.254', 'link-local'], ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link-local'], ['64:ff9b::808:808', 'public'], ['2002:a9fe:a9fe::1', 'link-local'], ['2002:0a00:0001::', 'private'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it.each(['example.com', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', ''])('%j is no address', (s) => {
    expect(classifyAddress(s)).toBeUndefined();
  });

  it('parses IPv6 shortening and IPv4 tails into 16 bytes', () => {
    expect(parseIPv6('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIPv6('::ffff:1.2.3.4')?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
  });
});

describe('webhook URL policy', () => {
  const dns = (answers: Record<string, string[]>): Resolve => async (name) => {
    if (!answers[name]) throw new Error(`ENOTFOUND ${name}`);
    return answers[name]!;
  };
  const resolve = dns({ 'pub.example': ['93.184.215.14', '2606:4700::1'], 'mixed.example': ['93.184.215.14', '10.0.0.5'], 'meta.example': ['169.254.169.254'], 'localhost': ['127.0.0.1'] });
  const check = (url: string, allowPrivate = false) => checkUrl(new URL(url), { allowPrivate, resolve });
  const noDns = (url: string) => checkUrl(new URL(url), { allowPrivate: false, resolve: undefined });

  it('passes a name whose every address is public, and names the first one to connect to', async () => {
    expect(await check('https://pub.example/x')).toEqual({ ok: true, address: '93.184.215.14' });
    expect(await check('https://93.184.215.14/x')).toEqual({ ok: true, address: '93.184.215.14' });
    expect(await check('https://[2606:4700::1]/x')).toEqual({ ok: true, address: '2606:4700::1' });
  });

  it('refuses a name with any private address, unless private ones are allowed; link-local always', async () => {
    expect(await check('https://mixed.example/')).toMatchObject({ ok: false, refused: true, reason: expect.stringContaining('10.0.0.5') });
    expect(await check('https://mixed.example/', true)).toEqual({ ok: true, address: '93.184.215.14' });
    expect(await check('https://meta.example/', true)).toMatchObject({ ok: false, refused: true, reason: expect.stringContaining('link-local') });
    expect(await check('http://[fe80::1]/', true)).toMatchObject({ ok: false, refused: true });
  });

  it('takes localhost names for loopback without asking DNS; an unresolvable name is no verdict', async () => {
    expect(await check('http://localhost:8080/')).toMatchObject({ ok: false, refused: true });
    expect(await noDns('http://api.localhost/')).toMatchObject({ ok: false, refused: true });
    expect(await check('http://localhost/', true)).toEqual({ ok: true, address: '127.0.0.1' });
    expect(await check('https://nowhere.example/')).toMatchObject({ ok: false, refused: false, reason: expect.stringContaining('does not resolve') });
  });

  it('without a resolver (Workers) checks literals only, and leaves names to the runtime', async () => {
    expect(await noDns('https://pub.example/')).toEqual({ ok: true, address: undefined });
    expect(await noDns('http://127.0.0.1/')).toMatchObject({ ok: false, refused: true });
    // the URL parser turns other spellings of IPv4 addresses into the dotted form first
    expect(await noDns('http://2130706433/')).toMatchObject({ ok: false, refused: true });
    expect(await noDns('http://0x7f.1/')).toMatchObject({ ok: false, refused: true });
  });
});

describe('webhook secrets', () => {
  it('generates whsec_ secrets of 32 bytes, and takes 24 to 64 byte ones', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(isValidSecret(s)).toBe(true);
    expect(generateSecret()).not.toBe(s);
    expect(isValidSecret(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBe(true);
    expect(isValidSecret(`whsec_${Buffer.alloc(64).toString('base64')}`)).toBe(true);
    expect(isValidSecret(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBe(false);
    expect(isValidSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBe(false);
    expect(isValidSecret(Buffer.alloc(32).toString('base64'))).toBe(false);
    expect(isValidSecret('whsec_not*base64*at*all*not*base64*at*all*')).toBe(false);
  });
});
