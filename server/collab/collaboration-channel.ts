import pg from "pg";
import type { Logger } from "pino";
import * as Y from "yjs";
import type { DocumentStore } from "../documents/store.ts";
import { randomClientId, writeContent } from "../history/content.ts";
import type { Collaboration } from "./collaboration.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** What the web app tells the collaboration socket about documents it changed. */
export type CollaborationNotices = Pick<Collaboration, "announceRename" | "closeDocument" | "refreshAccess" | "compactNow" | "replaceContent" | "disconnectUser">;

type Notice =
  | { type: "sync-from-store"; documentId: string }
  | { type: "rename"; documentId: string; title: string }
  | { type: "close"; documentId: string }
  | { type: "refresh-access"; documentId: string }
  | { type: "disconnect-user"; userId: string; reason: "account-disabled" };

const CHANNEL = "inkwell_collaboration";
const RETRY_MS = { first: 1_000, max: 30_000 };

/**
 * The web app's side when the collaboration socket runs in other processes (SERVICES=web): notices
 * go out through Postgres NOTIFY, in the same database both sides already share, so a rename, a
 * deletion or a removed member reaches open editors on every collaboration instance.
 */
export function notifyCollaboration(prisma: PrismaClient, store: DocumentStore, logger: Logger): CollaborationNotices {
  const send = async (notice: Notice) => {
    try {
      await prisma.$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(notice)})`;
    } catch (error) {
      logger.error({ err: error, notice }, "could not tell collaboration instances about a document change");
    }
  };
  return {
    announceRename: (documentId, title) => void send({ type: "rename", documentId, title }),
    closeDocument: (documentId) => void send({ type: "close", documentId }),
    refreshAccess: (documentId) => send({ type: "refresh-access", documentId }),
    disconnectUser: (userId, reason) => void send({ type: "disconnect-user", userId, reason }),
    compactNow: async (documentId) => void (await store.compact(documentId)),
    /**
     * Without the live copy here, the change is computed against the stored state and committed to
     * the log; the collaboration instances that have the document open then take it from there.
     */
    async replaceContent(documentId, content, userId) {
      const doc = new Y.Doc();
      try {
        if (!(await store.loadInto(documentId, doc))) throw new Error(`document ${documentId} not found`);
        let clientId = randomClientId();
        while ((await store.claimClientIds(documentId, userId, [clientId])).get(clientId) !== userId) clientId = randomClientId();
        const update = writeContent(doc, content, clientId, "replace-content");
        if (update) await store.appendUpdates([{ documentId, data: update as Uint8Array<ArrayBuffer>, authorId: userId }]);
        await store.compact(documentId);
      } finally {
        doc.destroy();
      }
      await send({ type: "sync-from-store", documentId });
    },
  };
}

/**
 * The collaboration side (SERVICES=collaboration): listens on a connection of its own and applies
 * each notice to the documents open here. Notices sent while that connection was down are lost, so
 * after every reconnect the roles of everyone connected are checked again: a removal that was missed
 * still closes its sockets.
 */
export async function listenForNotices(databaseUrl: string, collaboration: Collaboration, logger: Logger): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MS.first;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let everConnected = false;

  const apply = (payload: string | undefined) => {
    let notice: Notice;
    try {
      notice = JSON.parse(payload ?? "") as Notice;
    } catch (error) {
      return logger.error({ err: error }, "unreadable collaboration notice ignored");
    }
    if (notice.type === "sync-from-store") {
      collaboration.syncFromStore(notice.documentId).catch((error) => logger.error({ err: error, documentId: notice.documentId }, "taking another process's change into a live document failed"));
    } else if (notice.type === "rename") collaboration.announceRename(notice.documentId, notice.title);
    else if (notice.type === "close") collaboration.closeDocument(notice.documentId);
    else if (notice.type === "refresh-access") {
      collaboration.refreshAccess(notice.documentId).catch((error) => logger.error({ err: error, documentId: notice.documentId }, "applying a role change failed"));
    } else if (notice.type === "disconnect-user") collaboration.disconnectUser(notice.userId, notice.reason);
    else logger.error({ notice }, "unknown collaboration notice ignored");
  };

  const recheckEveryone = async () => {
    for (const documentId of collaboration.hocuspocus.documents.keys()) {
      await collaboration.refreshAccess(documentId).catch((error) => logger.error({ err: error, documentId }, "re-checking access after a reconnect failed"));
    }
    await collaboration.disconnectDisabledUsers().catch((error) => logger.error({ err: error }, "re-checking for disabled accounts after a reconnect failed"));
  };

  const retry = (error: unknown) => {
    if (closed || retryTimer) return;
    logger.error({ err: error, retryInMs: retryMs }, "lost the database connection that carries collaboration notices; reconnecting");
    client?.removeAllListeners();
    void client?.end().catch(() => {});
    client = null;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MS.max);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    next.on("notification", (message) => apply(message.payload));
    next.on("error", retry);
    next.on("end", () => retry(new Error("connection ended")));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      return retry(error);
    }
    retryMs = RETRY_MS.first;
    if (everConnected) {
      logger.warn("collaboration notices are back; re-checking the access of everyone connected");
      await recheckEveryone();
    }
    everConnected = true;
  };

  // Listening before the first socket is accepted, so no notice about it can be missed.
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const last = client;
      client = null;
      last?.removeAllListeners();
      last?.on("error", () => {});
      await last?.end().catch(() => {});
    },
  };
}
