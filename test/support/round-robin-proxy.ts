// A tiny loopback TCP load balancer for the fleet tests: each new connection goes to the next
// target in turn (what a Kubernetes Service does), bytes pass both ways untouched, so HTTP
// keep-alive and WebSocket upgrades pass as they are. A test can take a target out of the
// rotation (`disable`: no new connections, as a replica not ready), point a slot at a restarted
// replica (`setTarget`), or hang a target (`hold`: its connections, open and new, are accepted
// and read but nothing reaches the replica and nothing comes back — a hung process, without
// SIGSTOP). A connection to a target that refuses it is tried on the next one.
import net, { type AddressInfo, type Socket } from 'node:net';

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` (append the replica's path, e.g. /graphql). */
  url: string;
  port: number;
  /** Points slot `i` at `url` (a restarted replica on a new port). */
  setTarget(i: number, url: string): void;
  /** Takes slot `i` out of (false) or back into (true) the rotation for new connections. */
  enable(i: number, on: boolean): void;
  /** Hangs slot `i` (its open and new connections swallow requests) or lets it go (false: the held connections are cut). */
  hold(i: number, on: boolean): void;
  /** Connections opened to slot `i` so far (held ones included). */
  connections(i: number): number;
  /** Bytes clients sent to slot `i` while it was held (requests swallowed). */
  heldBytes(i: number): number;
  close(): Promise<void>;
}

interface Slot {
  host: string;
  port: number;
  enabled: boolean;
  held: boolean;
  opened: number;
  swallowed: number;
  /** Client sockets routed to this slot, open now. */
  clients: Set<Socket>;
}

const hostPort = (url: string) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
};

/** A proxy on a free loopback port in front of `targets` (URLs; only host and port are used). */
export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  const slots: Slot[] = targets.map((t) => ({
    ...hostPort(t),
    enabled: true,
    held: false,
    opened: 0,
    swallowed: 0,
    clients: new Set(),
  }));
  const all = new Set<Socket>();
  let next = 0;

  const pick = (): Slot | undefined => {
    for (let n = 0; n < slots.length; n++) {
      const slot = slots[next++ % slots.length];
      if (slot.enabled) return slot;
    }
    return undefined;
  };

  function route(client: Socket, slot: Slot, tries: number) {
    slot.opened++;
    slot.clients.add(client);
    client.once('close', () => slot.clients.delete(client));
    if (slot.held) {
      client.on('data', (d: Buffer) => (slot.swallowed += d.length));
      return;
    }
    client.pause();
    const upstream = net.connect(slot.port, slot.host);
    all.add(upstream);
    upstream.once('close', () => all.delete(upstream));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      // A slot held after this connection opened: what the client sends from now on is swallowed.
      client.on('data', (d: Buffer) => {
        if (slot.held) slot.swallowed += d.length;
        else upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (!slot.held) client.write(d);
      });
      client.resume();
    });
    upstream.on('error', () => {
      if (!connected) {
        slot.clients.delete(client);
        const other = tries + 1 < slots.length ? pick() : undefined;
        if (other) return route(client, other, tries + 1);
        return client.destroy();
      }
      client.destroy();
    });
    upstream.once('close', () => {
      if (connected) client.end();
    });
    client.on('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
  }

  const server = net.createServer((client) => {
    all.add(client);
    client.once('close', () => all.delete(client));
    client.on('error', () => {});
    const slot = pick();
    if (!slot) return client.destroy();
    route(client, slot, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setTarget(i, url) {
      Object.assign(slots[i], hostPort(url));
    },
    enable(i, on) {
      slots[i].enabled = on;
    },
    hold(i, on) {
      slots[i].held = on;
      if (!on) for (const c of slots[i].clients) c.destroy();
    },
    connections: (i) => slots[i].opened,
    heldBytes: (i) => slots[i].swallowed,
    close: async () => {
      for (const s of all) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
