import type { Logger } from "pino";
import * as Y from "yjs";
import type { HistoryStore, StoredVersion, VersionKind } from "../documents/history-store.ts";
import type { DocumentStore } from "../documents/store.ts";
import { FIELD } from "./content.ts";

/**
 * Records versions: the document's log is folded into its history first, so a version is the moment
 * that includes everything committed when it was asked for.
 */
export class Versions {
  constructor(
    private readonly store: DocumentStore,
    private readonly history: HistoryStore,
    private readonly compactNow: (documentId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** The last moment of the document's history, compacting first; null if there is no such document. */
  async currentSeq(documentId: string): Promise<number | null> {
    await this.compactNow(documentId);
    const seq = await this.history.lastSeq(documentId);
    if (seq !== null) return seq;
    const document = await this.store.get(documentId);
    const state = document && (await this.store.loadState(documentId));
    return state ? this.history.startIfNone(documentId, state, new Date(document!.updatedAt)) : null;
  }

  /**
   * A version of the document as it is now. An automatic one is skipped (null) when the content is
   * what the latest version already holds; the others are always recorded.
   */
  async record(documentId: string, kind: VersionKind, options: { name?: string; createdById?: string | null } = {}): Promise<StoredVersion | null> {
    const seq = await this.currentSeq(documentId);
    if (seq === null) return null;
    if (kind === "auto") {
      const latest = await this.history.latestVersion(documentId);
      if (latest && (latest.seq >= seq || (await this.sameContent(documentId, latest.seq, seq)))) return null;
    }
    const version = await this.history.createVersion(documentId, { seq, kind, name: options.name ?? null, createdById: options.createdById ?? null });
    this.logger.info({ documentId, versionId: version.id, kind, seq }, "version recorded");
    return version;
  }

  /** Typing and then deleting it again leaves windows behind but no change worth a version. */
  private async sameContent(documentId: string, a: number, b: number): Promise<boolean> {
    const [first, second] = [new Y.Doc(), new Y.Doc()];
    try {
      await this.history.replay(documentId, a, first);
      await this.history.replay(documentId, b, second);
      return JSON.stringify(first.getXmlFragment(FIELD).toJSON()) === JSON.stringify(second.getXmlFragment(FIELD).toJSON());
    } finally {
      first.destroy();
      second.destroy();
    }
  }
}
