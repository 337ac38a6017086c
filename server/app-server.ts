import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type next from "next";
import type { Logger } from "pino";
import { listenForNotices } from "./collab/collaboration-channel.ts";
import { holdBodyWithin, lingerThenClose, MAX_JSON_BODY_BYTES } from "./http/body-limit.ts";
import { isUploadRoute, MULTIPART_OVERHEAD_BYTES } from "./http/uploads.ts";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "./http/client-address.ts";
import { loggedPath, refuseRequest } from "./http/csrf.ts";
import { mayReadMetrics } from "./http/metrics-access.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { type Database, openDatabase } from "./db/database.ts";
import type { Env } from "./env.ts";
import { PROJECT_ROOT } from "./project-root.ts";
import { registerServices } from "./services.ts";
import { attachCollaborationSocket, COLLAB_PATH } from "./collab/transport.ts";
import { startRetention } from "./history/retention.ts";
import { wireServices } from "./wiring.ts";
import { startSearchBackfill } from "./search/backfill.ts";
import { startTrashPurge } from "./documents/trash.ts";

type NextApp = ReturnType<typeof next>;
type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
type NextHandlers = {
  handleRequest: ReturnType<NextApp["getRequestHandler"]>;
  handleUpgrade: UpgradeHandler;
};

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Up, and the database answers within two seconds: 200; otherwise 503 with what failed. */
async function health(database: Database, response: ServerResponse): Promise<void> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref());
  try {
    await Promise.race([database.ping(), timeout]);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: "ok", database: "ok" }));
  } catch (error) {
    response.writeHead(503, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: "degraded", database: (error as Error).message }));
  }
}

/**
 * By default one process, one port: Next.js serves pages and the JSON API, Hocuspocus serves the
 * collaboration WebSocket on /collab, and both share one database. SERVICES can give each its own
 * processes; they then meet in Postgres.
 */
export async function startServer(env: Env, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
  logger.info({ database: database.kind, migrated: database.migrated, services: env.SERVICES }, "database ready");
  const { services, collaboration, metrics } = await wireServices(database, env, logger);
  const stopRetention = env.HISTORY_RETENTION_DAYS ? startRetention(database.prisma, env.HISTORY_RETENTION_DAYS, logger) : undefined;
  if (services) registerServices(services);
  // Where the web app runs: the trash is its concern, and a collaboration-only process has no Trash.
  const stopTrashPurge = services ? startTrashPurge(services.trash, logger) : undefined;
  const notices = collaboration && !services ? await listenForNotices(env.DATABASE_URL!, collaboration, logger) : undefined;

  // Requests and upgrades can arrive between listen() and the end of Next's prepare(); they wait.
  let nextReady!: (handlers: NextHandlers) => void;
  const whenNextReady = new Promise<NextHandlers>((resolve) => (nextReady = resolve));

  const originPolicy = { appUrl: env.APP_URL, allowedOrigins: env.ALLOWED_ORIGINS };
  const headerPolicy = { ...originPolicy, dev: env.NODE_ENV !== "production" };

  const httpServer = createServer(async (request, response) => {
    // First, before anything awaits: the body must be caught before its first chunk is parsed.
    const body = holdBodyWithin(request, isUploadRoute(request.method, request.url) ? env.MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES : MAX_JSON_BODY_BYTES);
    try {
      // On every response, set before anyone writes: Next keeps headers already set.
      const headers = securityHeaders(request.headers, headerPolicy);
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      // Answered here, not by Next: they must work while Next is still starting, or is broken.
      if (request.url === "/healthz") return await health(database, response);
      if (request.url === "/metrics") {
        if (!mayReadMetrics(request, { token: env.METRICS_TOKEN, trustedProxies: env.TRUST_PROXY })) {
          logger.warn({ remote: request.socket.remoteAddress, address: clientAddress(request, env.TRUST_PROXY) }, "/metrics refused");
          response.writeHead(403, { "content-type": "application/json" });
          return void response.end(JSON.stringify({ error: "/metrics is served to this machine only, or with Authorization: Bearer <METRICS_TOKEN>." }));
        }
        response.writeHead(200, { "content-type": metrics.registry.contentType });
        return void response.end(await metrics.registry.metrics());
      }
      if (!services) {
        response.writeHead(404, { "content-type": "application/json" });
        return void response.end(JSON.stringify({ error: "This instance serves only the collaboration socket (SERVICES=collaboration)." }));
      }
      // Better Auth's rate limits read the client's address from here: computed by us, never copied
      // from what the client sent.
      request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request, env.TRUST_PROXY);
      // Refused here, before Next, so pages, the API and Better Auth's endpoints are covered alike.
      const refusal = refuseRequest(request, originPolicy);
      if (refusal) {
        const context = {
          method: request.method,
          url: loggedPath(request.url),
          origin: request.headers.origin,
          referer: request.headers.referer,
          address: request.headers[CLIENT_ADDRESS_HEADER],
          code: refusal.code,
        };
        if (refusal.status === 403) logger.warn(context, "state-changing request from outside the app refused");
        else logger.info({ ...context, contentType: request.headers["content-type"] }, "request body not declared as JSON refused");
        response.writeHead(refusal.status, { "content-type": "application/json" });
        return void response.end(JSON.stringify({ error: refusal.error, code: refusal.code }));
      }
      const held = await body;
      if (held.outcome === "aborted") return void response.destroy();
      if (held.outcome === "too-large") {
        logger.warn(
          { method: request.method, url: loggedPath(request.url), address: request.headers[CLIENT_ADDRESS_HEADER], bytes: held.bytes, limit: held.limit },
          "request body over the limit refused",
        );
        response.writeHead(413, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: held.error, code: held.code }));
        return lingerThenClose(request);
      }
      // Next marks its scripts with the nonce it reads from this request header (its documented
      // middleware recipe); always ours, never one the client sent.
      request.headers["content-security-policy"] = headers["content-security-policy"];
      delete request.headers["content-security-policy-report-only"];
      const { handleRequest } = await whenNextReady;
      await handleRequest(request, response);
    } catch (error) {
      logger.error({ err: error, url: request.url }, "request failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal server error");
    }
  });
  const limits = {
    ...originPolicy,
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    maxConnectionsPerMinute: env.MAX_CONNECTIONS_PER_MINUTE,
    trustedProxies: env.TRUST_PROXY,
    heartbeatMs: env.HEARTBEAT_SECONDS * 1000,
  };
  const webUpgrade: UpgradeHandler = async (request, socket, head) => {
    if (!services) return refuseUpgrade(socket, "404 Not Found");
    const { handleUpgrade } = await whenNextReady;
    await handleUpgrade(request, socket, head);
  };
  const collaborationSocket = collaboration
    ? attachCollaborationSocket(httpServer, collaboration.hocuspocus, logger, limits, metrics, webUpgrade)
    : undefined;
  if (!collaboration) {
    httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? "/", "http://localhost").pathname === COLLAB_PATH) {
        logger.warn({ remote: request.socket.remoteAddress }, "collaboration upgrade on a web-only instance refused (SERVICES=web)");
        return refuseUpgrade(socket, "404 Not Found");
      }
      webUpgrade(request, socket, head).catch((error) => {
        logger.error({ err: error, url: request.url }, "upgrade failed");
        socket.destroy();
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;

  // Next learns the real port only now, which matters when PORT=0 asked the system for one.
  // On its first request Next attaches its own upgrade listener to `httpServer` (or else to the
  // request's server: ours, where it would handle every upgrade a second time). It gets a stand-in,
  // and we call its router's upgrade handler ourselves: the public getUpgradeHandler() is a no-op in
  // a custom server, so hot reload would never connect.
  let nextApp: NextApp | undefined;
  if (services) {
    // Imported only here: a collaboration-only process has no use for Next's memory.
    const { default: createNext } = await import("next");
    const upgradeStandIn = new EventEmitter() as unknown as Server;
    nextApp = createNext({ dev: env.NODE_ENV !== "production", dir: PROJECT_ROOT, hostname: env.HOST, port, httpServer: upgradeStandIn });
    await nextApp.prepare();
    const routerUpgrade = (nextApp as unknown as { upgradeHandler: UpgradeHandler }).upgradeHandler;
    nextReady({ handleRequest: nextApp.getRequestHandler(), handleUpgrade: routerUpgrade });
  }

  // Once serving, in the background: documents from before search existed become searchable.
  const searchBackfill = startSearchBackfill(database.prisma, logger);
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        httpServer.close();
        // 1012 (service restart): the editor reconnects with its usual backoff and says nothing
        // alarming; edits not yet acknowledged are resent to whichever server answers next.
        await collaborationSocket?.closeAll(1012, "server-restarting");
        await notices?.close();
        await collaboration?.shutdown();
        await stopRetention?.();
        await stopTrashPurge?.();
        httpServer.closeAllConnections();
        await nextApp?.close();
        if (services) registerServices(undefined);
        await searchBackfill.stop();
        await database.close();
      })()),
  };
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
