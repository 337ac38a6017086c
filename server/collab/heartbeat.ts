import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { Metrics } from "../metrics.ts";

/** Hocuspocus's connection-level ping and pong: one byte each, addressed to no document. */
export const PING_FRAME = Uint8Array.of(9);
const PONG = 10;

export function isPong(frame: Uint8Array): boolean {
  return frame.length === 1 && frame[0] === PONG;
}

/**
 * A peer that vanished without closing (a laptop lid, a dropped Wi-Fi, a dead NAT entry) leaves a
 * socket that looks open on both sides. Every interval each socket is sent a Hocuspocus Ping, which
 * the provider answers with a Pong and also counts as "the server is alive" against its own
 * `messageReconnectTimeout`, and a WebSocket ping for clients without the provider. A socket that
 * has sent nothing for two intervals is terminated, which releases its document session. Silence is
 * checked four times per interval, so a vanished peer is let go at most 2.25 intervals after it
 * last spoke.
 */
export class Heartbeat {
  private readonly peers = new Map<WebSocket, { lastHeard: number; remote: string | undefined }>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.tick(), intervalMs / 4);
    this.timer.unref();
  }

  watch(socket: WebSocket, remote: string | undefined): void {
    this.peers.set(socket, { lastHeard: Date.now(), remote });
    socket.on("pong", () => this.heard(socket));
    socket.once("close", () => this.peers.delete(socket));
  }

  heard(socket: WebSocket): void {
    const peer = this.peers.get(socket);
    if (peer) peer.lastHeard = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const ping = this.ticks++ % 4 === 0;
    const silentSince = Date.now() - 2 * this.intervalMs;
    for (const [socket, { lastHeard, remote }] of this.peers) {
      if (lastHeard < silentSince) {
        this.peers.delete(socket);
        this.metrics.deadConnections.inc();
        this.logger.warn({ remote, silentMs: Date.now() - lastHeard }, "no answer to heartbeats, connection terminated");
        socket.terminate();
        continue;
      }
      if (!ping || socket.readyState !== socket.OPEN) continue;
      socket.send(PING_FRAME);
      socket.ping();
    }
  }
}
