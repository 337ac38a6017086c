import { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import type { DocumentStore } from "./documents.ts";
import { DocumentAccess } from "./extensions/document-access.ts";
import { DurableUpdates } from "./extensions/durable-updates.ts";
import { Persistence } from "./extensions/persistence.ts";
import { GroupCommit } from "./group-commit.ts";

export interface Collaboration {
  hocuspocus: Hocuspocus;
  commits: GroupCommit;
  announceRename(documentId: string, title: string): void;
  closeDocument(documentId: string): void;
  /** Closes every connection, commits what is pending and compacts loaded documents. */
  shutdown(): Promise<void>;
}

export function createCollaboration(store: DocumentStore, logger: Logger): Collaboration {
  const commits = new GroupCommit((rows) => store.appendUpdates(rows));
  const hocuspocus = new Hocuspocus({
    name: "inkwell",
    quiet: true,
    // Snapshots are only compaction now (every update is already in the log), so the defaults are fine.
    debounce: 2_000,
    maxDebounce: 10_000,
    extensions: [new DocumentAccess(store, logger), new Persistence(store, logger), new DurableUpdates(commits, logger)],
  });

  return {
    hocuspocus,
    commits,
    announceRename(documentId, title) {
      hocuspocus.documents.get(documentId)?.broadcastStateless(JSON.stringify({ type: "title", title }));
    },
    closeDocument(documentId) {
      // Closing the socket, not just Hocuspocus's per-document session, makes the provider reconnect at
      // once and hear "document-not-found" instead of idling until its reconnect timer fires.
      for (const connection of hocuspocus.documents.get(documentId)?.getConnections() ?? []) {
        connection.webSocket.close(4404, "document-deleted");
      }
    },
    async shutdown() {
      hocuspocus.closeConnections();
      await commits.flush();
      const stores = [...hocuspocus.documents.keys()].map((name) =>
        store.compact(name).catch((error) => logger.error({ documentName: name, err: error }, "compaction at shutdown failed")),
      );
      await Promise.all(stores);
    },
  };
}
