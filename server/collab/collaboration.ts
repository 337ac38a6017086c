import { Hocuspocus } from "@hocuspocus/server";
import type { Node } from "@tiptap/pm/model";
import * as Y from "yjs";
import type { HistoryStore } from "../documents/history-store.ts";
import { AutoVersions } from "../history/auto-versions.ts";
import { randomClientId, writeContent } from "../history/content.ts";
import { Versions } from "../history/versions.ts";
import type { Logger } from "pino";
import type { AccessControl } from "../accounts/access.ts";
import type { CollabTokens } from "../accounts/collab-token.ts";
import type { Accounts } from "../accounts/accounts.ts";
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
  /**
   * Closes every connection of the user here, saying why (a reason the editor shows): for an account
   * an admin disabled. New sockets are refused at authentication.
   */
  disconnectUser(userId: string, reason: "account-disabled"): void;
  /** Closes the connections of every disabled account here: for notices missed while LISTEN was down. */
  disconnectDisabledUsers(): Promise<void>;
  /** Applies role changes to open connections at once: new roles live, removed access closed. */
  refreshAccess(documentId: string): Promise<void>;
  /** Folds the document's update log into its history now (with the copy in memory, if loaded here). */
  compactNow(documentId: string): Promise<void>;
  /**
   * Makes the document's content `content` as a forward change in the live document, written under a
   * client id claimed for `userId`; every open editor converges on it. Resolves once it is committed
   * to the update log, then compacted into the history (so a version can point at the moment after).
   */
  replaceContent(documentId: string, content: Node, userId: string): Promise<void>;
  /** Takes into the loaded copy what other processes wrote to the document's log (see collaboration-channel). */
  syncFromStore(documentId: string): Promise<void>;
  /** Commits what is pending and compacts loaded documents, once the sockets are closed. */
  shutdown(): Promise<void>;
}

export interface CollaborationDeps {
  store: DocumentStore;
  access: AccessControl;
  tokens: CollabTokens;
  /** Whether an account is disabled, asked at every connect. */
  accounts: Pick<Accounts, "isDisabled">;
  metrics: Metrics;
  logger: Logger;
  admission: AdmissionLimits;
  presence: PresenceLimits;
  history: HistoryStore;
  autoVersions: { quietSeconds: number; everySeconds: number };
}

export function createCollaboration({ store, access, tokens, accounts, metrics, logger, admission, presence, history, autoVersions: timing }: CollaborationDeps): Collaboration {
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
  // Declared before Hocuspocus exists: compaction uses the copy in memory once there is one.
  let hocuspocus: Hocuspocus;
  const versions = new Versions(store, history, async (documentId) => void (await store.compact(documentId, hocuspocus.documents.get(documentId))), logger);
  const autoVersions = new AutoVersions(versions, { quietMs: timing.quietSeconds * 1000, maxEditingMs: timing.everySeconds * 1000 }, logger);
  hocuspocus = new Hocuspocus({
    name: "inkwell",
    quiet: true,
    // Snapshots are only compaction now (every update is already in the log), so the defaults are fine.
    debounce: 2_000,
    maxDebounce: 10_000,
    extensions: [
      new DocumentAccess(tokens, access, metrics, logger, admission, accounts),
      new Presence(presence, clientIds, metrics, logger),
      persistence,
      ...(store.options.keepHistory ? [autoVersions] : []),
      clientIds,
      new DurableUpdates(commits, clientIds, metrics, logger),
    ],
  });

  metrics.observe(hocuspocus);

  /** A new Yjs client id that `userId` holds in the document, for a change the server writes for them. */
  const claimFreshClientId = async (documentId: string, userId: string): Promise<number> => {
    for (;;) {
      const clientId = randomClientId();
      if (!(await clientIds.claim(documentId, userId, [clientId]))) return clientId;
    }
  };

  const connectionsOf = (documentId: string) => hocuspocus.documents.get(documentId)?.getConnections() ?? [];

  const disconnectUser = (userId: string, reason: "account-disabled") => {
    let closed = 0;
    for (const document of hocuspocus.documents.values()) {
      for (const connection of document.getConnections()) {
        if ((connection.context as CollabContext).user.id !== userId) continue;
        // 4403 too, so an editor that misses the reason still stops rather than rejoining.
        connection.webSocket.close(4403, reason);
        closed += 1;
      }
    }
    if (closed > 0) logger.info({ userId, reason, closed }, "closed every connection of the user");
  };

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
    disconnectUser,
    async disconnectDisabledUsers() {
      const userIds = new Set<string>();
      for (const document of hocuspocus.documents.values()) {
        for (const connection of document.getConnections()) userIds.add((connection.context as CollabContext).user.id);
      }
      for (const userId of userIds) if (await accounts.isDisabled(userId)) disconnectUser(userId, "account-disabled");
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
    async compactNow(documentId) {
      await store.compact(documentId, hocuspocus.documents.get(documentId));
    },
    async replaceContent(documentId, content, userId) {
      const clientId = await claimFreshClientId(documentId, userId);
      // Loads the document if nobody has it open; Hocuspocus broadcasts the change to everyone who does.
      const connection = await hocuspocus.openDirectConnection(documentId, { user: { id: userId } });
      try {
        const document = connection.document!;
        const update = writeContent(document, content, clientId, { source: "local", context: { user: { id: userId } } });
        if (update) await commits.append(documentId, update as Uint8Array<ArrayBuffer>, userId);
        await store.compact(documentId, document);
      } finally {
        // Stores (compacts) and unloads the document if this was its only connection.
        await connection.disconnect();
      }
    },
    async syncFromStore(documentId) {
      const document = hocuspocus.documents.get(documentId);
      if (!document) return;
      const state = await store.loadState(documentId);
      // The same document's stored state merged into its live copy: only what the copy lacks is new.
      if (state) Y.applyUpdate(document, state, { source: "local", context: {} });
    },
    async shutdown() {
      await commits.flush();
      await autoVersions.stop();
      await persistence.stop();
      const stores = [...hocuspocus.documents.keys()].map((name) =>
        store.compact(name, hocuspocus.documents.get(name)).catch((error) => logger.error({ documentName: name, err: error }, "compaction at shutdown failed")),
      );
      await Promise.all(stores);
    },
  };
}
