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

/** Every Yjs client encodes "nothing" this way; such a state must never replace real content. */
function isEmptyState(state: Uint8Array): boolean {
  return state.length <= 2;
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
    const snapshot = Y.encodeStateAsUpdate(new Y.Doc()) as Bytes;
    const row = await this.prisma.document.create({
      data: { id: randomUUID(), title, snapshot, ...(ownerId && { members: { create: { userId: ownerId, role: "owner" } } }) },
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
   * The document's state: its snapshot plus the log tail, or null if there is no such document.
   * Throws CorruptDocumentError rather than returning a partial state that could later be saved over
   * the real one.
   */
  async loadState(id: string): Promise<Uint8Array | null> {
    if (!isDocumentId(id)) return null;
    // The tail is read before the snapshot: compaction only ever moves rows into the snapshot, so a
    // compaction committing between the two reads leaves rows counted twice (harmless, Yjs updates
    // are idempotent) but never missing.
    const tail = await this.prisma.documentUpdate.findMany({
      where: { documentId: id },
      orderBy: { id: "asc" },
      select: { id: true, data: true },
    });
    const document = await this.prisma.document.findUnique({ where: { id }, select: { snapshot: true } });
    if (!document) return null;
    if (tail.length === 0 && document.snapshot) return document.snapshot;
    const doc = new Y.Doc({ gc: true });
    try {
      applyOrThrow(doc, document.snapshot, `snapshot of ${id}`);
      for (const row of tail) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
      return Y.encodeStateAsUpdate(doc);
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
      const locked = await tx.$queryRaw<{ snapshot: Uint8Array | null }[]>`
        SELECT snapshot FROM documents WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) return 0;
      const rows = await tx.documentUpdate.findMany({
        where: { documentId: id },
        orderBy: { id: "asc" },
        take: maxRows,
        select: { id: true, data: true, createdAt: true },
      });
      if (rows.length === 0) return 0;
      const previous = locked[0].snapshot;
      const snapshot = (loaded && stateIfContaining(loaded, [previous, ...rows.map((row) => row.data)])) ?? rebuild(id, previous, rows);
      if (isEmptyState(snapshot) && previous && !isEmptyState(previous)) {
        throw new CorruptDocumentError(`Compaction of ${id} would replace content with an empty state; refused.`);
      }
      const lastEdit = rows[rows.length - 1].createdAt;
      await tx.document.update({ where: { id }, data: { snapshot, updatedAt: lastEdit } });
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

/** The document's encoding, if it already contains every one of the stored updates; else null. */
function stateIfContaining(doc: Y.Doc, stored: (Uint8Array | null)[]): Bytes | null {
  const current = Y.snapshot(doc);
  for (const update of stored) {
    if (update && !Y.snapshotContainsUpdate(current, update)) return null;
  }
  return Y.encodeStateAsUpdate(doc) as Bytes;
}

function rebuild(id: string, previous: Uint8Array | null, rows: { id: bigint; data: Uint8Array }[]): Bytes {
  const doc = new Y.Doc({ gc: true });
  try {
    applyOrThrow(doc, previous, `snapshot of ${id}`);
    for (const row of rows) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
    return Y.encodeStateAsUpdate(doc) as Bytes;
  } finally {
    doc.destroy();
  }
}

function applyOrThrow(doc: Y.Doc, update: Uint8Array | null, what: string): void {
  if (!update) return;
  try {
    Y.applyUpdate(doc, update);
  } catch (error) {
    throw new CorruptDocumentError(`Cannot apply ${what}: ${(error as Error).message}`, { cause: error });
  }
}
