import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { isDocumentId } from "./document-id.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";

/** The only module that talks to the database about documents. */

export interface DocumentInfo {
  id: string;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface UpdateRow {
  documentId: string;
  data: Bytes;
}

/** Bytes the database driver can take: a Uint8Array on its own ArrayBuffer, as Yjs allocates them. */
export type Bytes = Uint8Array<ArrayBuffer>;

export { isDocumentId };

export class CorruptDocumentError extends Error {}

/** Snapshots are written in Yjs's v2 encoding; v1 ones, from before, stay readable. */
const V1 = 1;
const V2 = 2;

interface StoredSnapshot {
  snapshot: Uint8Array | null;
  snapshotEncoding: number;
}

/** A state with no content at all; such a state must never replace real content. */
function isEmptyState(state: Uint8Array, encoding: number): boolean {
  return (encoding === V2 ? Y.parseUpdateMetaV2(state) : Y.parseUpdateMeta(state)).to.size === 0;
}

const infoFields = { id: true, title: true, createdAt: true, updatedAt: true } as const;

function toInfo(row: { id: string; title: string; createdAt: Date; updatedAt: Date }): DocumentInfo {
  return {
    id: row.id,
    title: row.title,
    url: `/d/${row.id}`,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export class DocumentStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates a document owned by ownerId; null ownerId only for tools that work below accounts. */
  async create(title: string, ownerId: string | null): Promise<DocumentInfo> {
    // The server, never a client, creates the initial state: an empty Yjs document.
    const snapshot = Y.encodeStateAsUpdateV2(new Y.Doc()) as Bytes;
    const row = await this.prisma.document.create({
      data: { id: randomUUID(), title, snapshot, snapshotEncoding: V2, ...(ownerId && { members: { create: { userId: ownerId, role: "owner" } } }) },
      select: infoFields,
    });
    return toInfo(row);
  }

  /** The given documents, most recently edited first. */
  async listByIds(ids: string[]): Promise<DocumentInfo[]> {
    const rows = await this.prisma.document.findMany({ where: { id: { in: ids } }, select: infoFields, orderBy: { updatedAt: "desc" } });
    return rows.map(toInfo);
  }

  async get(id: string): Promise<DocumentInfo | null> {
    if (!isDocumentId(id)) return null;
    const row = await this.prisma.document.findUnique({ where: { id }, select: infoFields });
    return row ? toInfo(row) : null;
  }

  async rename(id: string, title: string): Promise<DocumentInfo | null> {
    if (!isDocumentId(id)) return null;
    const { count } = await this.prisma.document.updateMany({ where: { id }, data: { title, updatedAt: new Date() } });
    return count === 0 ? null : this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    const { count } = await this.prisma.document.deleteMany({ where: { id } });
    return count > 0;
  }

  /** One multi-row INSERT for a whole batch of updates, committed before any of them is acknowledged. */
  async appendUpdates(rows: UpdateRow[]): Promise<void> {
    // Raw SQL with two array parameters: one statement of the same shape whatever the batch size, and
    // none of the query building createMany does for every batch on the hot path.
    await this.prisma.$executeRaw`
      INSERT INTO document_updates (document_id, data)
      SELECT * FROM unnest(${rows.map((row) => row.documentId)}::uuid[], ${rows.map((row) => row.data)}::bytea[])`;
  }

  /**
   * Applies the document's snapshot and then its log tail to `doc` (the server's copy, still empty);
   * false if there is no such document. Throws CorruptDocumentError rather than leaving a partial
   * state that could later be saved over the real one: the caller must then discard `doc`.
   */
  async loadInto(id: string, doc: Y.Doc): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    // The tail is read before the snapshot: compaction only ever moves rows into the snapshot, so a
    // compaction committing between the two reads leaves rows counted twice (harmless, Yjs updates
    // are idempotent) but never missing.
    const tail = await this.prisma.documentUpdate.findMany({
      where: { documentId: id },
      orderBy: { id: "asc" },
      select: { id: true, data: true },
    });
    const document = await this.prisma.document.findUnique({ where: { id }, select: { snapshot: true, snapshotEncoding: true } });
    if (!document) return false;
    applySnapshot(doc, document, id);
    for (const row of tail) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
    return true;
  }

  /** The document's whole state as one (v1) update, or null if there is no such document. */
  async loadState(id: string): Promise<Uint8Array | null> {
    const doc = new Y.Doc({ gc: true });
    try {
      return (await this.loadInto(id, doc)) ? Y.encodeStateAsUpdate(doc) : null;
    } finally {
      doc.destroy();
    }
  }

  /**
   * Folds the update log into the snapshot and deletes exactly the rows it folded, in one transaction
   * that holds the document's row lock, so two compactions (even from two processes) never interleave
   * while appends go on independently. Returns how many rows were folded.
   *
   * `loaded` is the server's copy in memory, when it has one. If it already holds the stored snapshot
   * and every row (the usual case: each row was applied before it was committed), its encoding is the
   * new snapshot, which spares rebuilding the document from the log. Otherwise (rows from another
   * process, say) the document is rebuilt from what is stored.
   */
  async compact(id: string, loaded?: Y.Doc, maxRows = 10_000): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ snapshot: Uint8Array | null; snapshotEncoding: number }[]>`
        SELECT snapshot, snapshot_encoding AS "snapshotEncoding" FROM documents WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) return 0;
      const rows = await tx.documentUpdate.findMany({
        where: { documentId: id },
        orderBy: { id: "asc" },
        take: maxRows,
        select: { id: true, data: true, createdAt: true },
      });
      if (rows.length === 0) return 0;
      const previous = locked[0];
      const snapshot =
        (loaded && stateIfContaining(loaded, [asV1(previous), ...rows.map((row) => row.data)])) ?? rebuild(id, previous, rows);
      if (isEmptyState(snapshot, V2) && previous.snapshot && !isEmptyState(previous.snapshot, previous.snapshotEncoding)) {
        throw new CorruptDocumentError(`Compaction of ${id} would replace content with an empty state; refused.`);
      }
      const lastEdit = rows[rows.length - 1].createdAt;
      await tx.document.update({ where: { id }, data: { snapshot, snapshotEncoding: V2, updatedAt: lastEdit } });
      // Exactly the folded ids: a row with a lower id may commit after we read, and must stay.
      await tx.documentUpdate.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      return rows.length;
    });
  }

  /** Number of update rows not yet compacted, for tests and operators. */
  async pendingUpdates(id: string): Promise<number> {
    return this.prisma.documentUpdate.count({ where: { documentId: id } });
  }
}

/** The document's (v2) encoding, if it already contains every one of the stored (v1) updates; else null. */
function stateIfContaining(doc: Y.Doc, stored: (Uint8Array | null)[]): Bytes | null {
  const current = Y.snapshot(doc);
  for (const update of stored) {
    if (update && !Y.snapshotContainsUpdate(current, update)) return null;
  }
  return Y.encodeStateAsUpdateV2(doc) as Bytes;
}

function asV1({ snapshot, snapshotEncoding }: StoredSnapshot): Uint8Array | null {
  return snapshot && snapshotEncoding === V2 ? Y.convertUpdateFormatV2ToV1(snapshot) : snapshot;
}

function rebuild(id: string, previous: StoredSnapshot, rows: { id: bigint; data: Uint8Array }[]): Bytes {
  const doc = new Y.Doc({ gc: true });
  try {
    applySnapshot(doc, previous, id);
    for (const row of rows) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
    return Y.encodeStateAsUpdateV2(doc) as Bytes;
  } finally {
    doc.destroy();
  }
}

function applySnapshot(doc: Y.Doc, { snapshot, snapshotEncoding }: StoredSnapshot, id: string): void {
  if (!snapshot) return;
  if (snapshotEncoding !== V1 && snapshotEncoding !== V2) throw new CorruptDocumentError(`Snapshot of ${id} has unknown encoding ${snapshotEncoding}`);
  applyOrThrow(doc, snapshot, `snapshot of ${id}`, snapshotEncoding === V2 ? Y.applyUpdateV2 : Y.applyUpdate);
}

function applyOrThrow(doc: Y.Doc, update: Uint8Array, what: string, apply: (doc: Y.Doc, update: Uint8Array) => void = Y.applyUpdate): void {
  try {
    apply(doc, update);
  } catch (error) {
    throw new CorruptDocumentError(`Cannot apply ${what}: ${(error as Error).message}`, { cause: error });
  }
}
