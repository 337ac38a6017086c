import net from "node:net";

/**
 * A TCP proxy between Chromium and the server that takes WebSockets away for real while pages and
 * the API still load (a reload works). Chromium's offline emulation (context.setOffline) flips
 * navigator.onLine but leaves open WebSockets working, so on its own it cannot stand for a lost
 * network. (tcp-proxy.ts cuts everything at once, the way a partition does.)
 */
export interface Network {
  url: string;
  /** Ends every WebSocket and refuses new ones. Pages and the API still load, so a reload works. */
  dropWebSockets(): void;
  /** Open WebSockets go silent both ways without closing, as when a NAT forgets the flow; new ones pass. */
  silenceWebSockets(): void;
  restore(): void;
  /** When each WebSocket was let through, in ms since the epoch. */
  webSocketsOpened: number[];
  close(): Promise<void>;
}

export async function startNetwork(serverUrl: string): Promise<Network> {
  const target = new URL(serverUrl);
  let refuseWebSockets = false;
  const sockets = new Set<net.Socket>();
  const webSockets = new Set<{ client: net.Socket; upstream: net.Socket; silent: boolean }>();
  const webSocketsOpened: number[] = [];
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };

  const proxy = net.createServer((client) => {
    track(client);
    client.once("data", (head: Buffer) => {
      const isWebSocket = /^upgrade:\s*websocket/im.test(head.toString("latin1"));
      if (isWebSocket && refuseWebSockets) return void client.destroy();
      const upstream = net.connect(Number(target.port), target.hostname);
      track(upstream);
      const pair = { client, upstream, silent: false };
      if (isWebSocket) {
        webSockets.add(pair);
        webSocketsOpened.push(Date.now());
      }
      upstream.write(head);
      client.on("data", (chunk: Buffer) => pair.silent || upstream.write(chunk));
      upstream.on("data", (chunk: Buffer) => pair.silent || client.write(chunk));
      // A silent flow tells neither end anything, not even that the other end gave up.
      client.on("close", () => pair.silent || upstream.destroy());
      upstream.on("close", () => pair.silent || client.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    webSocketsOpened,
    dropWebSockets() {
      refuseWebSockets = true;
      for (const { client, upstream } of webSockets) {
        client.destroy();
        upstream.destroy();
      }
      webSockets.clear();
    },
    silenceWebSockets() {
      for (const pair of webSockets) pair.silent = true;
      webSockets.clear();
    },
    restore() {
      refuseWebSockets = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
