import net from "node:net";

/**
 * A TCP proxy in front of the server whose network can be cut the way real ones fail: no FIN, no
 * RST, packets simply stop. While cut, bytes in either direction are dropped and closes are not
 * passed on, so both ends must notice by themselves (heartbeats); new connections are held
 * unanswered, as a SYN is retransmitted, and go through once the network is back. On restore the
 * connections that lived through the cut are reset, as a router that lost their state would.
 */
export interface TcpProxy {
  /** The server's URL with the proxy's port in it. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Bytes from a client that connected during the cut, sent on once the network is back. */
  held: Buffer[];
  spansCut: boolean;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<Pair>();
  let isCut = false;

  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    pair.upstream = upstream;
    for (const chunk of pair.held.splice(0)) upstream.write(chunk);
    upstream.on("data", (chunk) => {
      if (!isCut) pair.client.write(chunk);
    });
    upstream.on("close", () => {
      if (!isCut) pair.client.destroy();
    });
    upstream.on("error", () => {});
  };

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null, held: [], spansCut: false };
    pairs.add(pair);
    client.on("data", (chunk) => {
      if (!pair.upstream) pair.held.push(chunk);
      else if (!isCut) pair.upstream.write(chunk);
    });
    client.on("close", () => {
      pairs.delete(pair);
      if (!isCut) pair.upstream?.destroy();
    });
    client.on("error", () => {});
    if (!isCut) connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `${target.protocol}//127.0.0.1:${port}`,
    cut() {
      isCut = true;
      for (const pair of pairs) pair.spansCut = pair.upstream !== null;
    },
    restore() {
      isCut = false;
      for (const pair of [...pairs]) {
        if (pair.spansCut) {
          pair.client.destroy();
          pair.upstream?.destroy();
          pairs.delete(pair);
        } else if (!pair.upstream) connectUpstream(pair);
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
