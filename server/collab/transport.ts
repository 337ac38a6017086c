import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Hocuspocus } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { clientAddress, ConnectionRateLimit } from "../http/client-address.ts";
import type { SocketContext } from "./extensions/document-access.ts";
import { FirstSync, type FirstSyncContext } from "./first-sync.ts";
import { Heartbeat, isPong } from "./heartbeat.ts";
import type { Metrics } from "../metrics.ts";
import { checkOrigin, type OriginPolicy } from "../http/origin.ts";

export const COLLAB_PATH = "/collab";

const MESSAGE_AUTH = 2;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;

/** The routing key (`<document>` or `<document>\0<session>`) an authentication frame names, else null. */
function authenticationKey(frame: Uint8Array): string | null {
  try {
    const decoder = decoding.createDecoder(frame);
    const key = decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== MESSAGE_AUTH || decoding.readVarUint(decoder) !== AUTH_TOKEN) return null;
    return key;
  } catch {
    // Hocuspocus refuses an unreadable frame itself.
    return null;
  }
}

/** The answer Hocuspocus gives a refused authentication, addressed to the key that asked. */
function permissionDenied(key: string, reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, key);
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

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
        const socketClosed = new Promise<void>((resolve) => websocket.once("close", () => resolve()));
        const context = { firstSync, address, socketClosed } satisfies FirstSyncContext & SocketContext;
        const connection = hocuspocus.handleConnection(websocket, toFetchRequest(request), context);
        heartbeat.watch(websocket, request.socket.remoteAddress);
        let authentications = 0;
        websocket.on("message", (data: Buffer) => {
          heartbeat.heard(websocket);
          metrics.framesReceived.inc();
          const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          // Hocuspocus 4.7 reads every frame as addressed to a document and would reset the
          // connection on a bare Pong; the answer has done its job once heard.
          if (isPong(frame)) return void (connection.lastMessageReceivedAt = Date.now());
          const key = authenticationKey(frame);
          // Each authentication opens a session, and one socket can open many (session-keyed names):
          // every one after the first (which the socket's own allowance paid for) costs as a new
          // socket would, so a socket is no way around the per-address limit.
          if (key !== null && ++authentications > 1 && !rate.take(address)) {
            metrics.refusedConnections.inc({ reason: "rate-limited" });
            logger.warn({ address, documentName: key.split("\0")[0] }, "collaboration session rate limit exceeded");
            websocket.send(permissionDenied(key, "rate-limited"));
            return;
          }
          if (!firstSync.hold(frame)) connection.handleMessage(frame);
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
