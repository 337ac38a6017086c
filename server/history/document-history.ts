import type { JSONContent } from "@tiptap/core";
import type { Logger } from "pino";
import * as Y from "yjs";
import type { Accounts } from "../accounts/accounts.ts";
import type { CollaborationNotices } from "../collab/collaboration-channel.ts";
import type { HistoryStore, StoredVersion, VersionKind } from "../documents/history-store.ts";
import type { DocumentStore } from "../documents/store.ts";
import { contentOf, InvalidContentError, toNode } from "./content.ts";
import { type DiffResult, diffSnapshots } from "./diff.ts";
import { HistoryError } from "./history-error.ts";
import type { MomentRef } from "./moment-ref.ts";
import type { Versions } from "./versions.ts";

export { HistoryError, isHistoryError } from "./history-error.ts";
export { type MomentRef, parseMomentRef } from "./moment-ref.ts";

export interface Person {
  id: string;
  name: string;
  color: string;
}

export interface VersionInfo {
  id: string;
  createdAt: string;
  name: string | null;
  kind: VersionKind;
  authors: Person[];
}

export type DiffView = Omit<DiffResult, "authorIds"> & {
  from: { version?: string; at: string };
  to: { version?: string; at: string };
  authors: Person[];
};

/** Caps the diff of two far-apart moments (Outline had to): past it, changes are shown unmarked. */
export const MAX_DIFF_CHANGES = 2_000;

/** What the API does with a document's history: list and name versions, read, compare, restore. */
export class DocumentHistory {
  constructor(
    private readonly store: DocumentStore,
    private readonly history: HistoryStore,
    private readonly versionsOf: Versions,
    private readonly accounts: Accounts,
    private readonly live: CollaborationNotices,
    private readonly logger: Logger,
  ) {}

  async versions(documentId: string): Promise<VersionInfo[]> {
    const versions = await this.history.versions(documentId);
    const people = await this.accounts.people(versions.flatMap((version) => version.authorIds));
    return versions.map((version) => this.info(version, people));
  }

  /** A named version of the document as it is now. */
  async nameVersion(documentId: string, userId: string, name: string): Promise<VersionInfo> {
    const version = await this.versionsOf.record(documentId, "named", { name, createdById: userId });
    if (!version) throw new HistoryError(404, "document not found");
    return this.info(version, await this.accounts.people(version.authorIds));
  }

  /** The document's content at a moment (now, without one). */
  async contentAt(documentId: string, ref?: MomentRef): Promise<JSONContent> {
    const doc = new Y.Doc();
    try {
      if (!ref) {
        if (!(await this.store.loadInto(documentId, doc))) throw new HistoryError(404, "document not found");
      } else {
        const { seq } = await this.resolve(documentId, ref);
        await this.history.replay(documentId, seq, doc);
      }
      return contentOf(doc);
    } finally {
      doc.destroy();
    }
  }

  /**
   * What changed between two moments, in the later one's rich text: insertions, deletions and
   * formatting changes, each with who made it. Rebuilt on a copy with gc off, from the checkpoint
   * before the earlier moment, so content deleted in between keeps its text.
   */
  async diff(documentId: string, fromRef: MomentRef, toRef: MomentRef): Promise<DiffView> {
    // Folded once for both ends, rather than a compaction per time asked for.
    if ("at" in fromRef || "at" in toRef) await this.foldLog(documentId);
    let [from, to] = await Promise.all([this.resolve(documentId, fromRef, true), this.resolve(documentId, toRef, true)]);
    // "What changed between" reads from the earlier to the later, whichever way round they were given.
    if (from.seq > to.seq) [from, to] = [to, from];
    const doc = new Y.Doc({ gc: false });
    try {
      let fromSnapshot: Y.Snapshot | null = null;
      await this.history.replayBetween(documentId, from.seq, to.seq, doc, (seq) => {
        if (seq <= from.seq) fromSnapshot = Y.snapshot(doc);
      });
      const toSnapshot = Y.snapshot(doc);
      const [owners, deleters] = await Promise.all([this.store.clientIdOwners(documentId), this.deletersBetween(documentId, from.seq, to.seq)]);
      const result = diffSnapshots(doc, fromSnapshot ?? toSnapshot, toSnapshot, {
        insertedBy: (client) => owners.get(client) ?? null,
        deletedBy: (client, clock) => deleters(client, clock),
      }, { maxChanges: MAX_DIFF_CHANGES });
      const people = await this.accounts.people(result.authorIds);
      const { authorIds, ...rest } = result;
      return { ...rest, from: from.ref, to: to.ref, authors: authorIds.map((id) => people.get(id) ?? unknownPerson(id)) };
    } finally {
      doc.destroy();
    }
  }

  /** A new document made from a file's content: written by its owner as the first change after creation. */
  async fill(documentId: string, content: JSONContent, userId: string): Promise<void> {
    await this.live.replaceContent(documentId, checked(content), userId);
  }

  /**
   * Brings a version back as a forward change to the live document, after recording a
   * "before restore" version so the restore can itself be undone. Resolves once committed.
   */
  async restore(documentId: string, versionId: string, userId: string): Promise<VersionInfo | null> {
    const version = await this.history.version(documentId, versionId);
    if (!version) throw new HistoryError(404, "no such version of this document");
    const content = await this.contentAt(documentId, { version: versionId });
    const before = await this.replaceContent(documentId, content, userId, "before-restore");
    this.logger.info({ documentId, versionId, userId }, "version restored");
    return before;
  }

  /** Replaces the content (restore, import) as a forward change, keeping a version of what was there. */
  async replaceContent(documentId: string, content: JSONContent, userId: string, kind: "before-restore" | "before-import"): Promise<VersionInfo | null> {
    const node = checked(content);
    // Without history there is no version to keep; the replacement itself still happens.
    const keeping = this.store.options.keepHistory;
    const before = keeping ? await this.versionsOf.record(documentId, kind, { createdById: userId }) : null;
    if (keeping ? !before : !(await this.store.get(documentId))) throw new HistoryError(404, "document not found");
    await this.live.replaceContent(documentId, node, userId);
    return before && this.info(before, await this.accounts.people(before.authorIds));
  }

  /** A moment's window, and how the answer names it. */
  private async resolve(documentId: string, ref: MomentRef, folded = false): Promise<{ seq: number; ref: { version?: string; at: string } }> {
    if ("version" in ref) {
      const version = await this.history.version(documentId, ref.version);
      if (!version) throw new HistoryError(404, "no such version of this document");
      const at = (await this.history.endOf(documentId, version.seq)) ?? version.createdAt;
      return { seq: version.seq, ref: { version: version.id, at: at.toISOString() } };
    }
    if (!folded) await this.foldLog(documentId);
    const seq = await this.history.seqAt(documentId, ref.at);
    if (seq === null) {
      const first = await this.history.endOf(documentId, 0);
      throw new HistoryError(404, `the document's history begins at ${first?.toISOString() ?? "its creation"}; ask for a later moment`);
    }
    return { seq, ref: { at: ((await this.history.endOf(documentId, seq)) ?? ref.at).toISOString() } };
  }

  /** A moment "now" or later includes everything committed: the log is folded into the history first. */
  private async foldLog(documentId: string): Promise<void> {
    if ((await this.versionsOf.currentSeq(documentId)) === null) throw new HistoryError(404, "document not found");
  }

  /**
   * Who deleted what between two windows: each chunk's delete set belongs to its author. The earliest
   * chunk wins where two cover the same item: a reconnecting editor's sync step 2 carries its whole
   * delete set, others' deletions included, but those were committed (and kept) before it. Per client,
   * the covered clocks are kept as sorted disjoint segments, so each question (one per deleted
   * character) is a binary search.
   */
  private async deletersBetween(documentId: string, fromSeq: number, toSeq: number): Promise<(client: number, clock: number) => string | null> {
    const segmentsOf = new Map<number, { clock: number; end: number; authorId: string | null }[]>();
    for (const chunk of await this.history.chunksBetween(documentId, fromSeq, toSeq)) {
      const { ds } = Y.decodeUpdate(chunk.data);
      for (const [client, items] of ds.clients) {
        let segments = segmentsOf.get(client);
        if (!segments) segmentsOf.set(client, (segments = []));
        for (const item of items) addUncovered(segments, item.clock, item.clock + item.len, chunk.authorId);
      }
    }
    return (client, clock) => {
      const segments = segmentsOf.get(client);
      if (!segments) return null;
      const index = lastStartingAtOrBefore(segments, clock);
      return index >= 0 && clock < segments[index].end ? segments[index].authorId : null;
    };
  }

  private info(version: StoredVersion, people: Map<string, Person>): VersionInfo {
    return {
      id: version.id,
      createdAt: version.createdAt.toISOString(),
      name: version.name,
      kind: version.kind,
      authors: version.authorIds.map((id) => people.get(id) ?? unknownPerson(id)),
    };
  }
}

type Segment = { clock: number; end: number; authorId: string | null };

/** Index of the last segment starting at or before `clock`, or -1. */
function lastStartingAtOrBefore(segments: Segment[], clock: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle].clock <= clock) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Adds the parts of [clock, end) no segment covers yet, keeping the segments sorted and disjoint. */
function addUncovered(segments: Segment[], clock: number, end: number, authorId: string | null): void {
  let at = clock;
  let index = lastStartingAtOrBefore(segments, at);
  if (index >= 0 && segments[index].end > at) at = segments[index].end;
  index += 1;
  while (at < end) {
    const next = segments[index];
    const gapEnd = next ? Math.min(end, next.clock) : end;
    if (gapEnd > at) {
      segments.splice(index, 0, { clock: at, end: gapEnd, authorId });
      index += 1;
    }
    if (!next || next.clock >= end) break;
    at = Math.max(at, next.end);
    index += 1;
  }
}

/** Content the editor could not hold is the caller's mistake: a 400 with the reason. */
function checked(content: JSONContent) {
  try {
    return toNode(content);
  } catch (error) {
    if (error instanceof InvalidContentError) throw new HistoryError(400, error.message);
    throw error;
  }
}

function unknownPerson(id: string): Person {
  return { id, name: "Deleted account", color: "#8c959f" };
}
