import { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import type { AccessControl } from "../accounts/access.ts";
import type { CollabTokens } from "../accounts/collab-token.ts";
import { isDatabaseUnreachable } from "../db/errors.ts";
import type { DocumentStore } from "../documents/store.ts";
import { type AdmissionLimits, type CollabContext, DocumentAccess } from "./extensions/document-access.ts";
import { ClientIds } from "./client-ids.ts";
import { DurableUpdates } from "./extensions/durable-updates.ts";
import { Persistence } from "./extensions/persistence.ts";
import { Presence, type PresenceLimits } from "./extensions/presence.ts";
import { GroupCommit } from "./group-commit.ts";
import type { Metrics } from "../metrics.ts";

export interface Collaboration {
  hocuspocus: Hocuspocus;
  commits: GroupCommit;
  announceRename(documentId: string, title: string): void;
  closeDocument(documentId: string): void;
  /** Applies role changes to open connections at once: new roles live, removed access closed. */
  refreshAccess(documentId: string): Promise<void>;
  /** Commits what is pending and compacts loaded documents, once the sockets are closed. */
  shutdown(): Promise<void>;
}

export interface CollaborationDeps {
  store: DocumentStore;
  access: AccessControl;
  tokens: CollabTokens;
  metrics: Metrics;
  logger: Logger;
  admission: AdmissionLimits;
  presence: PresenceLimits;
}

export function createCollaboration({ store, access, tokens, metrics, logger, admission, presence }: CollaborationDeps): Collaboration {
  const commits = new GroupCommit((rows) => store.appendUpdates(rows), {
    onCommit(rows, seconds) {
      metrics.updatesCommitted.inc(rows);
      metrics.commitSeconds.observe(seconds);
    },
    isUnreachable: isDatabaseUnreachable,
    onUnreachable: (error) => logger.error({ err: error }, "database unreachable: holding updates unacknowledged until it is back"),
    onRecovered: (attempts) => logger.warn({ attempts }, "database reachable again: held updates committed"),
  });
  const persistence = new Persistence(store, metrics, logger);
  const clientIds = new ClientIds(store);
  const hocuspocus = new Hocuspocus({
    name: "inkwell",
    quiet: true,
    // Snapshots are only compaction now (every update is already in the log), so the defaults are fine.
    debounce: 2_000,
    maxDebounce: 10_000,
    extensions: [
      new DocumentAccess(tokens, access, metrics, logger, admission),
      new Presence(presence, clientIds, metrics, logger),
      persistence,
      clientIds,
      new DurableUpdates(commits, clientIds, metrics, logger),
    ],
  });

  metrics.observe(hocuspocus);

  const connectionsOf = (documentId: string) => hocuspocus.documents.get(documentId)?.getConnections() ?? [];

  return {
    hocuspocus,
    commits,
    announceRename(documentId, title) {
      hocuspocus.documents.get(documentId)?.broadcastStateless(JSON.stringify({ type: "title", title }));
    },
    closeDocument(documentId) {
      // Closing the socket, not just Hocuspocus's per-document session, makes the provider reconnect at
      // once and hear "document-not-found" instead of idling until its reconnect timer fires.
      for (const connection of connectionsOf(documentId)) connection.webSocket.close(4404, "document-deleted");
    },
    async refreshAccess(documentId) {
      const connections = connectionsOf(documentId);
      if (connections.length === 0) return;
      const userIds = [...new Set(connections.map((connection) => (connection.context as CollabContext).user.id))];
      const roles = await access.rolesOf(userIds, documentId);
      for (const connection of connections) {
        const context = connection.context as CollabContext;
        const role = roles.get(context.user.id);
        if (!role) {
          // Said before closing, so the editor can tell the writer why rather than just reconnecting.
          connection.sendStateless(JSON.stringify({ type: "access-revoked" }));
          connection.webSocket.close(4403, "access-revoked");
          logger.info({ documentId, userId: context.user.id }, "access revoked, connection closed");
        } else if (role !== context.role) {
          context.role = role;
          connection.readOnly = role === "viewer";
          connection.sendStateless(JSON.stringify({ type: "role", role }));
        }
      }
    },
    async shutdown() {
      await commits.flush();
      await persistence.stop();
      const stores = [...hocuspocus.documents.keys()].map((name) =>
        store.compact(name, hocuspocus.documents.get(name)).catch((error) => logger.error({ documentName: name, err: error }, "compaction at shutdown failed")),
      );
      await Promise.all(stores);
    },
  };
}
