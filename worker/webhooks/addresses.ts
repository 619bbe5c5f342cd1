/**
 * Where an IP address leads, for the webhook SSRF rules: `public` (globally
 * reachable), `private` (loopback, private networks, shared and reserved
 * space: refused unless FLEETPLANE_WEBHOOK_ALLOW_PRIVATE=true) or `link-local`
 * (169.254.0.0/16, fe80::/10, where cloud metadata services answer: always
 * refused). Ranges follow the IANA special-purpose registries; anything that
 * is not plainly global unicast counts as private, so a range forgotten here
 * errs on the side of refusing. Pure code, so it runs the same in workerd.
 */
export type AddressClass = 'public' | 'private' | 'link-local';

type Range = [bytes: number[], bits: number, cls: AddressClass];

const V4_RANGES: Range[] = [
  [[0, 0, 0, 0], 8, 'private'], // "this network"
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'private'], // carrier-grade NAT
  [[127, 0, 0, 0], 8, 'private'], // loopback
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'private'], // IETF protocol assignments
  [[192, 0, 2, 0], 24, 'private'], // documentation
  [[192, 88, 99, 0], 24, 'private'], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'private'], // benchmarking
  [[198, 51, 100, 0], 24, 'private'], // documentation
  [[203, 0, 113, 0], 24, 'private'], // documentation
  [[224, 0, 0, 0], 4, 'private'], // multicast
  [[240, 0, 0, 0], 4, 'private'], // reserved, broadcast
];

const inRange = (addr: number[], [net, bits]: Range) => {
  for (let i = 0; i < net.length; i++) {
    const take = Math.max(0, Math.min(8, bits - 8 * i));
    const mask = (0xff << (8 - take)) & 0xff;
    if ((addr[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
};

export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** 16 bytes, or undefined; takes `::` shortening, a dotted IPv4 tail and a zone (`%eth0`, dropped). */
export function parseIPv6(s: string): number[] | undefined {
  let text = s.replace(/%.*$/, '');
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyV4(a: number[]): AddressClass {
  return V4_RANGES.find((r) => inRange(a, r))?.[2] ?? 'public';
}

const v6 = (prefix: number[], bits: number): [number[], number] => [[...prefix, ...Array(16 - prefix.length).fill(0)], bits];
const under = (a: number[], [net, bits]: [number[], number]) => inRange(a, [net, bits, 'private']);

function classifyV6(a: number[]): AddressClass {
  // addresses that carry an IPv4 address go where that one goes
  if (under(a, v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96))) return classifyV4(a.slice(12)); // IPv4-mapped
  if (under(a, v6([0, 0x64, 0xff, 0x9b], 96))) return classifyV4(a.slice(12)); // NAT64
  if (under(a, v6([0x20, 0x02], 16))) return classifyV4(a.slice(2, 6)); // 6to4
  if (under(a, v6([0xfe, 0x80], 10))) return 'link-local';
  if (!under(a, v6([0x20], 3))) return 'private'; // loopback, unspecified, unique local, multicast, ...: outside global unicast
  if (under(a, v6([0x20, 0x01, 0x0d, 0xb8], 32))) return 'private'; // documentation
  if (under(a, v6([0x20, 0x01, 0x00], 23))) return 'private'; // IETF protocol assignments (Teredo among them)
  if (under(a, v6([0x3f, 0xff], 20))) return 'private'; // documentation
  return 'public';
}

/** The class of an IP address in text form (IPv6 with or without brackets); undefined when it is not one. */
export function classifyAddress(ip: string): AddressClass | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const a4 = parseIPv4(bare);
  if (a4) return classifyV4(a4);
  const a6 = bare.includes(':') ? parseIPv6(bare) : undefined;
  return a6 ? classifyV6(a6) : undefined;
}
