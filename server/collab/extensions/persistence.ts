import type { connectedPayload, Extension, onLoadDocumentPayload, onStoreDocumentPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import * as Y from "yjs";
import { isDatabaseUnreachable } from "../../db/errors.ts";
import { isDocumentId } from "../../documents/document-id.ts";
import { applyStored, type DocumentStore, storedStateAsUpdate } from "../../documents/store.ts";
import type { FirstSyncContext } from "../first-sync.ts";
import type { Metrics } from "../../metrics.ts";
import { Refusal } from "./refusal.ts";

/**
 * Loads a document's stored state, and compacts its update log whenever Hocuspocus decides to store
 * (debounced while people type, and when the last writer leaves). Content itself is already durable
 * by then: DurableUpdates committed every update before it was applied.
 */
export class Persistence implements Extension {
  extensionName = "Persistence";

  private stopped = false;
  private readonly compacting = new Set<Promise<unknown>>();

  constructor(
    private readonly store: DocumentStore,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores Hocuspocus asks for from now on are skipped (shutdown compacts every loaded document
   * itself, and the database is about to close); resolves once those already running have finished.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.compacting);
  }

  /**
   * A failed load refuses the writer with a reason; the document is never handed out empty. The
   * client whose request triggered the load gets the stored state as soon as it is read (FirstSync).
   */
  async onLoadDocument({ documentName, document, context }: onLoadDocumentPayload): Promise<void> {
    if (!isDocumentId(documentName)) throw new Refusal("document-not-found");
    this.metrics.documentLoads.inc();
    const firstSync = (context as FirstSyncContext | undefined)?.firstSync;
    const started = performance.now();
    let found = false;
    try {
      const stored = await this.store.read(documentName);
      if (stored) {
        found = true;
        const answered = (await firstSync?.answerFromStorage(documentName, () => storedStateAsUpdate(stored))) ?? false;
        if (answered) this.metrics.firstSyncsFromStorage.inc();
        // Straight into Hocuspocus's copy: no intermediate document or re-encoding on the way.
        applyStored(document, stored);
        firstSync?.release(documentName, answered ? Y.encodeStateVector(document) : undefined);
      }
      this.logger.debug({ documentName, ms: Math.round(performance.now() - started) }, "document loaded from the database");
    } catch (error) {
      firstSync?.discard(documentName);
      this.logger.error({ documentName, err: error }, "document load failed");
      // Only an unreachable database is worth the client's retrying; a document that cannot be read is not.
      throw new Refusal(isDatabaseUnreachable(error) ? "database-unavailable" : "document-load-failed");
    }
    if (!found) {
      firstSync?.discard(documentName);
      throw new Refusal("document-not-found");
    }
  }

  /** A first sync request held back while someone else's load was running goes on now. */
  async connected({ documentName, context }: connectedPayload): Promise<void> {
    (context as FirstSyncContext | undefined)?.firstSync?.release(documentName);
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload): Promise<void> {
    if (this.stopped) return;
    const started = performance.now();
    const compaction = this.store.compact(documentName, document);
    this.compacting.add(compaction);
    try {
      const folded = await compaction;
      this.logger.debug({ documentName, folded, ms: Math.round(performance.now() - started) }, "update log compacted");
    } catch (error) {
      // Nothing is lost: the rows stay in the log and the next store or load picks them up.
      this.logger.error({ documentName, err: error }, "compaction failed");
      throw error;
    } finally {
      this.compacting.delete(compaction);
    }
  }
}
