import net from 'node:net';

export interface SilentPath {
  port: number;
  /** `url` with its host and port replaced by this path's */
  through(url: string): string;
  /** from now on every byte either way is dropped: a Postgres, or a network, that stopped answering without closing anything */
  silence(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP path to Postgres that can go silent. Silent, it keeps every
 * connection open and passes nothing, as a partitioned network or a frozen
 * server does; bytes sent meanwhile are lost, not delivered later.
 */
export async function startSilentPath(target = { host: '127.0.0.1', port: 5432 }): Promise<SilentPath> {
  let silent = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((down) => {
    const up = net.connect(target.port, target.host);
    for (const s of [down, up]) open.add(s);
    down.on('data', (d) => void (silent || up.write(d)));
    up.on('data', (d) => void (silent || down.write(d)));
    const end = () => {
      for (const s of [down, up]) {
        s.destroy();
        open.delete(s);
      }
    };
    for (const s of [down, up]) s.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    through(url) {
      const u = new URL(url);
      u.host = `127.0.0.1:${port}`;
      return u.toString();
    },
    silence: () => void (silent = true),
    restore: () => void (silent = false),
    close: () => {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
