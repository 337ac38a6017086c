import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { clientAddress, ConnectionRateLimit } from "../http/client-address.ts";
import { FirstSync, type FirstSyncContext } from "./first-sync.ts";
import { Heartbeat, isPong } from "./heartbeat.ts";
import type { Metrics } from "../metrics.ts";
import { checkOrigin, type OriginPolicy } from "../http/origin.ts";

export const COLLAB_PATH = "/collab";

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

/** Hocuspocus wants a Fetch API Request for hooks to read headers and query parameters from. */
function toFetchRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Request(new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`), { headers });
}

/**
 * Routes WebSocket upgrades on `/collab` to Hocuspocus and every other upgrade (Next's hot reload in
 * development) to `otherUpgrades`.
 */
export function attachCollaborationSocket(
  server: Server,
  hocuspocus: Hocuspocus,
  logger: Logger,
  limits: OriginPolicy & { maxMessageBytes: number; maxConnectionsPerMinute: number; trustedProxies: number; heartbeatMs: number },
  metrics: Metrics,
  otherUpgrades: UpgradeHandler,
): CollaborationSocket {
  // ws closes a socket whose frame is larger than maxPayload with 1009 (message too big).
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const rate = new ConnectionRateLimit(limits.maxConnectionsPerMinute);
  const heartbeat = new Heartbeat(limits.heartbeatMs, metrics, logger);

  server.on("upgrade", (request, socket, head) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    if (pathname === COLLAB_PATH) {
      const origin = checkOrigin(request.headers, limits);
      if (!origin.allowed) {
        metrics.refusedConnections.inc({ reason: "origin" });
        logger.warn({ reason: origin.reason, remote: request.socket.remoteAddress }, "collaboration upgrade refused");
        socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const address = clientAddress(request, limits.trustedProxies);
      if (!rate.take(address)) {
        // Accepted only to be closed with a code a browser can read (an HTTP refusal reaches it as
        // 1006); the provider's backoff then keeps the retries slow.
        metrics.refusedConnections.inc({ reason: "rate-limited" });
        logger.warn({ address }, "collaboration connection rate limit exceeded");
        sockets.handleUpgrade(request, socket, head, (websocket) => websocket.close(4429, "rate-limited"));
        return;
      }
      sockets.handleUpgrade(request, socket, head, (websocket) => {
        const firstSync = new FirstSync(websocket, hocuspocus, (frame) => connection.handleMessage(frame));
        const connection = hocuspocus.handleConnection(websocket, toFetchRequest(request), { firstSync } satisfies FirstSyncContext);
        heartbeat.watch(websocket, request.socket.remoteAddress);
        websocket.on("message", (data: Buffer) => {
          heartbeat.heard(websocket);
          metrics.framesReceived.inc();
          const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          // Hocuspocus 4.7 reads every frame as addressed to a document and would reset the
          // connection on a bare Pong; the answer has done its job once heard.
          if (isPong(frame)) connection.lastMessageReceivedAt = Date.now();
          else if (!firstSync.hold(frame)) connection.handleMessage(frame);
        });
        websocket.on("close", (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
        websocket.on("error", (error: Error & { code?: string }) => {
          // ws has already closed the socket with 1009 (message too big) and serves everyone else.
          if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
            metrics.refusedConnections.inc({ reason: "message-too-large" });
            logger.warn({ remote: request.socket.remoteAddress, maxMessageBytes: limits.maxMessageBytes }, "frame over the size limit, socket closed");
            return;
          }
          logger.warn({ err: error, remote: request.socket.remoteAddress }, "collaboration socket error");
        });
      });
      return;
    }
    Promise.resolve(otherUpgrades(request, socket, head)).catch((error) => {
      logger.warn({ err: error, url: request.url }, "upgrade failed");
      socket.destroy();
    });
  });

  return {
    async closeAll(code, reason) {
      heartbeat.stop();
      const closed = [...sockets.clients].map((websocket) => {
        if (websocket.readyState === websocket.CLOSED) return;
        return new Promise<void>((resolve) => {
          websocket.once("close", () => resolve());
          websocket.close(code, reason);
          // A peer that never answers the close handshake is not waited for.
          setTimeout(() => websocket.terminate(), CLOSE_HANDSHAKE_MS).unref();
        });
      });
      await Promise.all(closed);
    },
  };
}

const CLOSE_HANDSHAKE_MS = 2_000;

export interface CollaborationSocket {
  /**
   * Closes every collaboration socket with the code and reason given and stops the heartbeat;
   * resolves once each is closed, so Hocuspocus has run its disconnect hooks.
   */
  closeAll(code: number, reason: string): Promise<void>;
}
