import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { isDocumentId } from "./document-id.ts";
import { historyHead, keepAsHistory } from "./history-store.ts";
import { plainTextOf } from "../search/plain-text.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/** The only module that talks to the database about documents. */

export interface DocumentInfo {
  id: string;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export { type DocumentCursor, decodeCursor, encodeCursor } from "./cursor.ts";
import type { DocumentCursor, DocumentSort } from "./cursor.ts";

export interface UpdateRow {
  documentId: string;
  data: Bytes;
  /** Who sent it (kept in the history); absent for the server's own changes and tools. */
  authorId?: string | null;
}

/** Bytes the database driver can take: a Uint8Array on its own ArrayBuffer, as Yjs allocates them. */
export type Bytes = Uint8Array<ArrayBuffer>;

export { isDocumentId };

export class CorruptDocumentError extends Error {}

/**
 * Snapshots are written in Yjs's v1 encoding, the one the sync protocol carries, so a fresh client can
 * be sent one just as it is stored (FirstSync). v2 ones, which the previous release wrote, stay
 * readable: v2 takes 30% less disk once Postgres has compressed both, but converting a 100k-character
 * document for the wire takes 5 ms, against 1 ms more to read v1.
 */
const V1 = 1;
const V2 = 2;

const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

interface StoredSnapshot {
  snapshot: Uint8Array | null;
  snapshotEncoding: number;
}

export interface StoredDocument {
  id: string;
  snapshot: StoredSnapshot;
  tail: { id: bigint; data: Uint8Array }[];
}

/** See DocumentStore.loadInto. */
export function applyStored(doc: Y.Doc, { id, snapshot, tail }: StoredDocument): void {
  withoutUpdateListeners(doc, () => {
    applySnapshot(doc, snapshot, id);
    for (const row of tail) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
  });
}

/**
 * The stored state as one update in the sync protocol's (v1) encoding, when the snapshot alone is
 * all of it; null while log rows are pending (merging them would cost what it is meant to save).
 */
export function storedStateAsUpdate({ snapshot, tail }: StoredDocument): Uint8Array | null {
  return tail.length > 0 ? null : asV1(snapshot);
}

/**
 * Yjs encodes every transaction again for a document's "update" listeners. Hocuspocus's copy has one
 * from birth that only broadcasts, to connections a document being loaded does not have yet; for a
 * whole document that encoding is a fifth of the load.
 */
function withoutUpdateListeners(doc: Y.Doc, run: () => void): void {
  const listeners = [...(doc._observers.get("update") ?? [])];
  for (const listener of listeners) doc.off("update", listener);
  try {
    run();
  } finally {
    for (const listener of listeners) doc.on("update", listener);
  }
}

/**
 * Document bytes cross both database drivers as base64 text: for a 300 KB snapshot, PGlite's driver
 * takes 32 ms to parse the bytea and 86 ms to send one (blocking the event loop, as it runs
 * in-process), against 3 and 16 ms as base64; pg takes 4 ms to parse it against 2.5.
 */
function fromBase64(text: string): Bytes {
  return Buffer.from(text, "base64") as Bytes;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
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

const PAGE_ORDERS: Record<DocumentSort, { key: Prisma.Sql; direction: "ASC" | "DESC" }> = {
  edited: { key: Prisma.sql`updated_at`, direction: "DESC" },
  created: { key: Prisma.sql`created_at`, direction: "DESC" },
  title: { key: Prisma.sql`lower(title)`, direction: "ASC" },
};

function cursorValue(cursor: DocumentCursor): Prisma.Sql {
  if (cursor.sort === "title") return Prisma.sql`lower(${cursor.title})`;
  return Prisma.sql`${(cursor.sort === "edited" ? cursor.updatedAt : cursor.createdAt).toISOString()}::timestamptz`;
}

function cursorAt(sort: DocumentSort, row: { id: string; title: string; createdAt: Date; updatedAt: Date }): DocumentCursor {
  if (sort === "title") return { sort, title: row.title, id: row.id };
  return sort === "created" ? { sort, createdAt: row.createdAt, id: row.id } : { sort, updatedAt: row.updatedAt, id: row.id };
}

export class DocumentStore {
  /** keepHistory false (KEEP_HISTORY=false): compaction deletes what it folds, as before history was kept. */
  constructor(
    private readonly prisma: PrismaClient,
    readonly options: { keepHistory: boolean } = { keepHistory: true },
  ) {}

  /** Creates a document owned by ownerId; null ownerId only for tools that work below accounts. */
  async create(title: string, ownerId: string | null): Promise<DocumentInfo> {
    // The server, never a client, creates the initial state: an empty Yjs document.
    const snapshot = Y.encodeStateAsUpdate(new Y.Doc()) as Bytes;
    const row = await this.prisma.document.create({
      data: { id: randomUUID(), title, snapshot, snapshotEncoding: V1, contentText: "", ...(ownerId && { members: { create: { userId: ownerId, role: "owner" } } }) },
      select: infoFields,
    });
    return toInfo(row);
  }

  /** The given documents not in the trash, most recently edited first. */
  async listByIds(ids: string[]): Promise<DocumentInfo[]> {
    const rows = await this.prisma.document.findMany({ where: { id: { in: ids }, deletedAt: null }, select: infoFields, orderBy: { updatedAt: "desc" } });
    return rows.map(toInfo);
  }

  /**
   * One page of the given documents not in the trash, in the order asked for (last edited or newest
   * first, or by title A to Z, ignoring case), and the cursor of the next page (null on the last).
   * The cursor is the last row's sort value and id: a document edited meanwhile moves to the first
   * page instead of shifting every later page by one.
   */
  async pageByIds(
    ids: string[],
    limit: number,
    cursor?: DocumentCursor,
    sort: DocumentSort = cursor?.sort ?? "edited",
  ): Promise<{ documents: DocumentInfo[]; nextCursor: DocumentCursor | null }> {
    if (cursor && cursor.sort !== sort) throw new Error(`a cursor of the ${cursor.sort} order cannot page the ${sort} order`);
    const order = PAGE_ORDERS[sort];
    const after = cursor
      ? Prisma.sql`AND (${order.key}, id) ${Prisma.raw(order.direction === "ASC" ? ">" : "<")} (${cursorValue(cursor)}, ${cursor.id}::uuid)`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<{ id: string; title: string; createdAt: Date; updatedAt: Date }[]>`
      SELECT id::text, title, created_at AS "createdAt", updated_at AS "updatedAt" FROM documents
      WHERE id = ANY(${ids}::uuid[]) AND deleted_at IS NULL ${after}
      ORDER BY ${order.key} ${Prisma.raw(order.direction)}, id ${Prisma.raw(order.direction)}
      LIMIT ${limit + 1}`;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { documents: page.map(toInfo), nextCursor: rows.length > limit && last ? cursorAt(sort, last) : null };
  }

  /** How many documents the user made owning since then: the creation quota's count. */
  async createdBySince(userId: string, since: Date): Promise<number> {
    return this.prisma.documentMember.count({ where: { userId, role: "owner", createdAt: { gte: since } } });
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
      INSERT INTO document_updates (document_id, data, author_id)
      SELECT * FROM unnest(${rows.map((row) => row.documentId)}::uuid[], ${rows.map((row) => row.data)}::bytea[], ${rows.map((row) => row.authorId ?? null)}::text[])`;
  }

  /**
   * What is stored of the document: its snapshot and the log rows not yet folded into it; null if
   * there is no such document.
   */
  async read(id: string): Promise<StoredDocument | null> {
    if (!isDocumentId(id)) return null;
    // One statement, so one round trip instead of two and one consistent view: a compaction
    // committing meanwhile is seen either whole or not at all.
    const rows = await this.prisma.$queryRaw<{ row: bigint | null; data: string | null; encoding: number | null }[]>`
      SELECT NULL::bigint AS row, encode(snapshot, 'base64') AS data, snapshot_encoding AS encoding FROM documents WHERE id = ${id}::uuid
      UNION ALL
      SELECT id, encode(data, 'base64'), NULL FROM document_updates WHERE document_id = ${id}::uuid
      ORDER BY row NULLS FIRST`;
    const [head, ...rest] = rows;
    if (!head || head.row !== null) return null;
    const tail = rest.map((row) => ({ id: row.row!, data: fromBase64(row.data!) }));
    return { id, snapshot: { snapshot: head.data === null ? null : fromBase64(head.data), snapshotEncoding: head.encoding! }, tail };
  }

  /**
   * Applies the document's snapshot and then its log tail to `doc` (the server's copy, still empty);
   * false if there is no such document. Throws CorruptDocumentError rather than leaving a partial
   * state that could later be saved over the real one: the caller must then discard `doc`.
   */
  async loadInto(id: string, doc: Y.Doc): Promise<boolean> {
    const stored = await this.read(id);
    if (stored) applyStored(doc, stored);
    return stored !== null;
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
   * Folds the update log into the snapshot and moves exactly the rows it folded into the history (one
   * window: a merged chunk per author, see history-store.ts), in one transaction that holds the
   * document's row lock, so two compactions (even from two processes) never interleave. The lock is
   * FOR NO KEY UPDATE: appends only take a key-share lock for their foreign key, so typing goes on
   * while a compaction runs. Returns how many rows were folded.
   *
   * `loaded` is the server's copy in memory, when it has one. If it already holds the stored snapshot
   * and every row (the usual case: each row was applied before it was committed), its encoding is the
   * new snapshot, which spares rebuilding the document from the log. Otherwise (rows from another
   * process, say) the document is rebuilt from what is stored.
   */
  async compact(id: string, loaded?: Y.Doc, maxRows = 10_000): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ snapshot: string | null; snapshotEncoding: number; updatedAt: Date }[]>`
        SELECT encode(snapshot, 'base64') AS snapshot, snapshot_encoding AS "snapshotEncoding", updated_at AS "updatedAt"
        FROM documents WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
      if (locked.length === 0) return 0;
      const rows = (
        await tx.$queryRaw<{ id: bigint; data: string; createdAt: Date; authorId: string | null }[]>`
          SELECT id, encode(data, 'base64') AS data, created_at AS "createdAt", author_id AS "authorId" FROM document_updates
          WHERE document_id = ${id}::uuid ORDER BY id LIMIT ${maxRows}`
      ).map((row) => ({ ...row, data: fromBase64(row.data) }));
      if (rows.length === 0) return 0;
      const previous = { snapshot: locked[0].snapshot === null ? null : fromBase64(locked[0].snapshot), snapshotEncoding: locked[0].snapshotEncoding };
      const kept = loaded && stateIfContaining(loaded, [asV1(previous), ...rows.map((row) => row.data)]);
      const { snapshot, contentText } = loaded && kept ? { snapshot: kept, contentText: plainTextOf(loaded) } : rebuild(id, previous, rows);
      if (isEmptyState(snapshot, V1) && previous.snapshot && !isEmptyState(previous.snapshot, previous.snapshotEncoding)) {
        throw new CorruptDocumentError(`Compaction of ${id} would replace content with an empty state; refused.`);
      }
      if (this.options.keepHistory) {
        const head = await historyHead(tx, id);
        await keepAsHistory(tx, id, head, { state: asV1(previous) ?? EMPTY_STATE, at: locked[0].updatedAt }, rows, snapshot.byteLength);
      }
      const lastEdit = rows[rows.length - 1].createdAt;
      // content_text keeps search current (server/search/). For a 105,000-character document it makes
      // this UPDATE 11 ms slower on Postgres and 28 ms on PGlite (the generated search_vector's
      // to_tsvector, and its GIN entries), of a whole compaction of 31 and 55 ms; plainTextOf is 0.5 ms.
      await tx.$executeRaw`
        UPDATE documents SET snapshot = decode(${toBase64(snapshot)}, 'base64'), snapshot_encoding = ${V1}, updated_at = ${lastEdit},
          content_text = ${contentText}
        WHERE id = ${id}::uuid`;
      // Exactly the folded ids: a row with a lower id may commit after we read, and must stay.
      await tx.documentUpdate.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      return rows.length;
    });
  }

  /**
   * Claims Yjs client ids of a document for a user, first come first served, and answers who holds
   * each of them now: the user itself for ids it claimed or already held, someone else's id (or null,
   * a deleted account) for ids that were taken. One statement whatever the number of ids; two
   * processes claiming the same id at once are serialised by the primary key, and both get the same
   * answer. (DO UPDATE rather than DO NOTHING: only then does RETURNING give the row that was there.)
   */
  async claimClientIds(documentId: string, userId: string, clientIds: number[]): Promise<Map<number, string | null>> {
    const rows = await this.prisma.$queryRaw<{ clientId: bigint; userId: string | null }[]>`
      INSERT INTO document_clients (document_id, client_id, user_id)
      SELECT ${documentId}::uuid, unnest(${clientIds.map(BigInt)}::bigint[]), ${userId}
      ON CONFLICT (document_id, client_id) DO UPDATE SET user_id = document_clients.user_id
      RETURNING client_id AS "clientId", user_id AS "userId"`;
    return new Map(rows.map((row) => [Number(row.clientId), row.userId]));
  }

  /** Who wrote under each client id of the document: (client id → user id, null for a deleted account). */
  async clientIdOwners(documentId: string): Promise<Map<number, string | null>> {
    if (!isDocumentId(documentId)) return new Map();
    const rows = await this.prisma.documentClient.findMany({ where: { documentId }, select: { clientId: true, userId: true } });
    return new Map(rows.map((row) => [Number(row.clientId), row.userId]));
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

function asV1({ snapshot, snapshotEncoding }: StoredSnapshot): Uint8Array | null {
  return snapshot && snapshotEncoding === V2 ? Y.convertUpdateFormatV2ToV1(snapshot) : snapshot;
}

/** The document rebuilt from what is stored: its encoding, and its text for search. */
function rebuild(id: string, previous: StoredSnapshot, rows: { id: bigint; data: Uint8Array }[]): { snapshot: Bytes; contentText: string } {
  const doc = new Y.Doc({ gc: true });
  try {
    applySnapshot(doc, previous, id);
    for (const row of rows) applyOrThrow(doc, row.data, `update ${row.id} of ${id}`);
    return { snapshot: Y.encodeStateAsUpdate(doc) as Bytes, contentText: plainTextOf(doc) };
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
