import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { TransactionClient } from "../generated/prisma/internal/prismaNamespace.ts";
import { isDocumentId } from "./document-id.ts";

/**
 * The history half of the documents module: what compaction folds is kept, per window ("moment",
 * numbered by seq) one merged update per author, and every so often a checkpoint, the whole state at
 * the end of a window. Versions are moments with a name or a reason. Only this file and store.ts
 * talk to the database about documents.
 *
 * The state at the end of window S is the latest checkpoint at or before S, then every chunk after
 * it up to S, applied in window order: a delete made later is not in any chunk applied yet. Within
 * one window the order of the authors' chunks does not matter (Yjs applies updates in any order to
 * the same state), so a moment is exactly a window's end.
 */

type Sql = PrismaClient | TransactionClient;

export type VersionKind = "auto" | "named" | "before-restore" | "before-import";

export interface StoredVersion {
  id: string;
  documentId: string;
  seq: number;
  kind: VersionKind;
  name: string | null;
  authorIds: string[];
  createdById: string | null;
  createdAt: Date;
}

/** One author's changes in one window. */
export interface HistoryChunk {
  seq: number;
  authorId: string | null;
  data: Uint8Array;
}

/** A log row as compaction folds it. */
export interface FoldedRow {
  data: Uint8Array;
  createdAt: Date;
  authorId: string | null;
}

/**
 * A checkpoint is written once the chunks since the last one add up to twice the size of the state:
 * replaying a moment then costs at most one state's worth of checkpoint plus two of chunks, and the
 * checkpoints take at most half the room of the chunks. automerge-paper replayed as 1,000 windows
 * (npm run bench -- --only history), by this factor:
 *   1: 3.88 MB stored (checkpoints 3.14 MB before compression), any moment rebuilt in 10.7 ms p50, a diff an hour apart 74 ms
 *   2: 3.15 MB (1.55 MB), 17.6 ms, 90 ms
 *   4: 2.67 MB (0.54 MB), 21.1 ms (p95 60 ms), 108 ms
 * The chunks themselves are 3.30 MB before compression whatever the factor.
 */
const CHECKPOINT_WHEN_CHUNKS_REACH_STATE = 2;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Buffer.from(text, "base64") as Uint8Array<ArrayBuffer>;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export interface HistoryHead {
  /** The last window, or null when the document has no history yet. */
  lastSeq: number | null;
  /** Bytes of chunks written after the latest checkpoint. */
  chunkBytesSinceCheckpoint: number;
}

/** Read inside compaction's transaction, with the document's row locked. */
export async function historyHead(tx: Sql, documentId: string): Promise<HistoryHead> {
  const [row] = await tx.$queryRaw<{ lastSeq: number | null; since: bigint | number | null }[]>`
    SELECT (SELECT max(seq) FROM document_history WHERE document_id = ${documentId}::uuid) AS "lastSeq",
      (SELECT coalesce(sum(octet_length(h.data)), 0) FROM document_history h
        WHERE h.document_id = ${documentId}::uuid AND NOT h.is_checkpoint
          AND h.seq > (SELECT coalesce(max(c.seq), -1) FROM document_history c WHERE c.document_id = ${documentId}::uuid AND c.is_checkpoint)) AS since`;
  return { lastSeq: row?.lastSeq ?? null, chunkBytesSinceCheckpoint: Number(row?.since ?? 0) };
}

/**
 * Keeps one compaction's rows as the window after `head.lastSeq`: a chunk per author, and a
 * checkpoint when they are due. `previousState` is the state before these rows (the snapshot being
 * replaced), written as window 0 when the document has no history yet (content from before history
 * was kept, or a new document's empty state). Runs in compaction's transaction: the history and the
 * snapshot change together or not at all.
 */
export async function keepAsHistory(
  tx: Sql,
  documentId: string,
  head: HistoryHead,
  previous: { state: Uint8Array; at: Date },
  rows: FoldedRow[],
  stateBytes: number,
): Promise<number> {
  let lastSeq = head.lastSeq;
  if (lastSeq === null) {
    await insertRows(tx, documentId, [{ seq: 0, startedAt: previous.at, endedAt: previous.at, authorId: null, isCheckpoint: true, data: previous.state }]);
    lastSeq = 0;
  }
  const seq = lastSeq + 1;
  const byAuthor = new Map<string | null, FoldedRow[]>();
  for (const row of withoutRepeats(previous.state, rows)) {
    const group = byAuthor.get(row.authorId);
    if (group) group.push(row);
    else byAuthor.set(row.authorId, [row]);
  }
  const chunks = [...byAuthor].map(([authorId, group]) => ({
    seq,
    authorId,
    isCheckpoint: false,
    startedAt: group[0].createdAt,
    endedAt: group[group.length - 1].createdAt,
    data: group.length === 1 ? group[0].data : Y.mergeUpdates(group.map((row) => row.data)),
  }));
  const windowEnd = new Date(Math.max(...chunks.map((chunk) => chunk.endedAt.getTime())));
  const chunkBytes = chunks.reduce((sum, chunk) => sum + chunk.data.byteLength, 0);
  const toWrite: HistoryRowInput[] = chunks;
  if (head.chunkBytesSinceCheckpoint + chunkBytes >= stateBytes * CHECKPOINT_WHEN_CHUNKS_REACH_STATE) {
    // Rebuilt from the history itself, not taken from the live copy: that may already hold an update
    // applied but not yet committed, which belongs to the next window.
    const doc = new Y.Doc({ gc: true });
    try {
      await replayInto(tx, documentId, seq - 1, doc);
      for (const chunk of chunks) Y.applyUpdate(doc, chunk.data);
      toWrite.push({ seq, authorId: null, isCheckpoint: true, startedAt: windowEnd, endedAt: windowEnd, data: Y.encodeStateAsUpdate(doc) });
    } finally {
      doc.destroy();
    }
  }
  await insertRows(tx, documentId, toWrite);
  return seq;
}

/**
 * Each row as the document took it. Applied one after another, Yjs ignores the structs a row repeats
 * (a reconnecting editor's sync step 2 resends some it had; a hostile editor may resend known clocks
 * with other content), but Y.mergeUpdates would keep either copy, and a chunk holding the forged one
 * would no longer replay: the fuzz test's mutated frames did exactly that. So what the document had
 * before a row (the previous state, then the rows before it) is cut from it first. Tracked per
 * client as clock ranges (parseUpdateMeta), so a row that repeats nothing is passed on as it is.
 */
function withoutRepeats(previousState: Uint8Array, rows: FoldedRow[]): FoldedRow[] {
  const known = Y.parseUpdateMeta(previousState).to;
  return rows.map((row) => {
    const { from, to } = Y.parseUpdateMeta(row.data);
    let repeats = false;
    for (const [client, clock] of from) if (clock < (known.get(client) ?? 0)) repeats = true;
    const data = repeats ? Y.diffUpdate(row.data, Y.encodeStateVector(known)) : row.data;
    for (const [client, clock] of to) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
    return data === row.data ? row : { ...row, data };
  });
}

interface HistoryRowInput {
  seq: number;
  startedAt: Date;
  endedAt: Date;
  authorId: string | null;
  isCheckpoint: boolean;
  data: Uint8Array;
}

async function insertRows(tx: Sql, documentId: string, rows: HistoryRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO document_history (document_id, seq, started_at, ended_at, author_id, is_checkpoint, data)
    SELECT ${documentId}::uuid, seq, started_at, ended_at, author_id, is_checkpoint, decode(data_base64, 'base64') FROM unnest(
      ${rows.map((row) => row.seq)}::int[], ${rows.map((row) => row.startedAt.toISOString())}::timestamptz[], ${rows.map((row) => row.endedAt.toISOString())}::timestamptz[],
      ${rows.map((row) => row.authorId)}::text[], ${rows.map((row) => row.isCheckpoint)}::boolean[],
      ${rows.map((row) => toBase64(row.data))}::text[])
      AS t(seq, started_at, ended_at, author_id, is_checkpoint, data_base64)`;
}

/**
 * Applies the state at the end of window `seq` to `doc`: the latest checkpoint at or before it, then
 * the chunks after it, in order. `onWindow` is called after each window is applied (for diffs, which
 * take a snapshot on the way). Returns false when the document has no history at or before `seq`.
 */
export async function replayInto(tx: Sql, documentId: string, seq: number, doc: Y.Doc, onWindow?: (seq: number) => void, fromSeq?: number): Promise<boolean> {
  const start = fromSeq ?? seq;
  const rows = await tx.$queryRaw<{ seq: number; isCheckpoint: boolean; data: string }[]>`
    SELECT seq, is_checkpoint AS "isCheckpoint", encode(data, 'base64') AS data FROM document_history
    WHERE document_id = ${documentId}::uuid AND seq <= ${seq}
      AND seq >= (SELECT max(seq) FROM document_history WHERE document_id = ${documentId}::uuid AND is_checkpoint AND seq <= ${start})
    ORDER BY seq, is_checkpoint DESC, id`;
  const checkpoint = rows[0];
  if (!checkpoint?.isCheckpoint) return false;
  Y.applyUpdate(doc, fromBase64(checkpoint.data));
  let applied = checkpoint.seq;
  for (const row of rows) {
    // Chunks of the checkpoint's own window are in it already; later checkpoints are not needed.
    if (row.seq <= checkpoint.seq || row.isCheckpoint) continue;
    if (row.seq !== applied) {
      onWindow?.(applied);
      applied = row.seq;
    }
    Y.applyUpdate(doc, fromBase64(row.data));
  }
  onWindow?.(applied);
  return true;
}

export class HistoryStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Starts the history of a document nobody has edited since history began (its compactions write
   * window 0 themselves): window 0 is then its stored state as it is. Answers the last window.
   */
  async startIfNone(documentId: string, state: Uint8Array, at: Date): Promise<number> {
    await this.prisma.$executeRaw`
      INSERT INTO document_history (document_id, seq, started_at, ended_at, author_id, is_checkpoint, data)
      SELECT ${documentId}::uuid, 0, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz, NULL, true, decode(${toBase64(state)}, 'base64')
      WHERE NOT EXISTS (SELECT 1 FROM document_history WHERE document_id = ${documentId}::uuid)`;
    return (await this.lastSeq(documentId)) ?? 0;
  }

  /** The last window of the document's history, or null when it has none yet. */
  async lastSeq(documentId: string): Promise<number | null> {
    if (!isDocumentId(documentId)) return null;
    const [row] = await this.prisma.$queryRaw<{ seq: number | null }[]>`SELECT max(seq) AS seq FROM document_history WHERE document_id = ${documentId}::uuid`;
    return row?.seq ?? null;
  }

  /** The last window that had ended by `at`; null when `at` is before the document's history began. */
  async seqAt(documentId: string, at: Date): Promise<number | null> {
    const [row] = await this.prisma.$queryRaw<{ seq: number | null }[]>`
      SELECT max(seq) AS seq FROM document_history WHERE document_id = ${documentId}::uuid AND ended_at <= ${at}`;
    return row?.seq ?? null;
  }

  /** When window `seq` ended. */
  async endOf(documentId: string, seq: number): Promise<Date | null> {
    const [row] = await this.prisma.$queryRaw<{ at: Date | null }[]>`
      SELECT max(ended_at) AS at FROM document_history WHERE document_id = ${documentId}::uuid AND seq = ${seq}`;
    return row?.at ?? null;
  }

  /** Every window with its end, oldest first (for tests and tools). */
  async moments(documentId: string): Promise<{ seq: number; at: Date }[]> {
    return this.prisma.$queryRaw<{ seq: number; at: Date }[]>`
      SELECT seq, max(ended_at) AS at FROM document_history WHERE document_id = ${documentId}::uuid GROUP BY seq ORDER BY seq`;
  }

  /** The state at the end of window `seq`, applied to `doc`; false when there is no such moment. */
  async replay(documentId: string, seq: number, doc: Y.Doc): Promise<boolean> {
    return replayInto(this.prisma, documentId, seq, doc);
  }

  /**
   * Everything up to window `toSeq` applied to `doc` (which should have gc off, so content deleted
   * after `fromSeq` keeps its content), calling `onWindow` after each window from the checkpoint
   * that precedes `fromSeq` on.
   */
  async replayBetween(documentId: string, fromSeq: number, toSeq: number, doc: Y.Doc, onWindow: (seq: number) => void): Promise<boolean> {
    return replayInto(this.prisma, documentId, toSeq, doc, onWindow, fromSeq);
  }

  /** The chunks of windows after `fromSeq` up to `toSeq`, oldest first: who changed what in between. */
  async chunksBetween(documentId: string, fromSeq: number, toSeq: number): Promise<HistoryChunk[]> {
    const rows = await this.prisma.$queryRaw<{ seq: number; authorId: string | null; data: string }[]>`
      SELECT seq, author_id AS "authorId", encode(data, 'base64') AS data FROM document_history
      WHERE document_id = ${documentId}::uuid AND NOT is_checkpoint AND seq > ${fromSeq} AND seq <= ${toSeq}
      ORDER BY seq, id`;
    return rows.map((row) => ({ seq: row.seq, authorId: row.authorId, data: fromBase64(row.data) }));
  }

  /** Bytes the document's history takes, chunks and checkpoints (for operators and the bench). */
  async bytes(documentId: string): Promise<{ chunks: number; checkpoints: number }> {
    const [row] = await this.prisma.$queryRaw<{ chunks: bigint | null; checkpoints: bigint | null }[]>`
      SELECT sum(octet_length(data)) FILTER (WHERE NOT is_checkpoint) AS chunks, sum(octet_length(data)) FILTER (WHERE is_checkpoint) AS checkpoints
      FROM document_history WHERE document_id = ${documentId}::uuid`;
    return { chunks: Number(row?.chunks ?? 0), checkpoints: Number(row?.checkpoints ?? 0) };
  }

  /**
   * Records a version at window `seq`. Its authors are everyone whose chunks fall after the previous
   * version's window, up to this one.
   */
  async createVersion(documentId: string, version: { seq: number; kind: VersionKind; name?: string | null; createdById?: string | null }): Promise<StoredVersion> {
    const id = randomUUID();
    const [row] = await this.prisma.$queryRaw<VersionRow[]>`
      INSERT INTO document_versions (id, document_id, seq, kind, name, created_by_id, author_ids)
      SELECT ${id}::uuid, ${documentId}::uuid, ${version.seq}, ${version.kind}, ${version.name ?? null}, ${version.createdById ?? null},
        coalesce((SELECT array_agg(DISTINCT author_id ORDER BY author_id) FROM document_history
          WHERE document_id = ${documentId}::uuid AND NOT is_checkpoint AND author_id IS NOT NULL AND seq <= ${version.seq}
            AND seq > coalesce((SELECT max(seq) FROM document_versions WHERE document_id = ${documentId}::uuid AND seq < ${version.seq}), 0)), ARRAY[]::text[])
      RETURNING ${VERSION_COLUMNS}`;
    return toVersion(row);
  }

  /** The document's versions, newest first. */
  async versions(documentId: string): Promise<StoredVersion[]> {
    if (!isDocumentId(documentId)) return [];
    const rows = await this.prisma.$queryRaw<VersionRow[]>`
      SELECT ${VERSION_COLUMNS} FROM document_versions WHERE document_id = ${documentId}::uuid ORDER BY created_at DESC, seq DESC`;
    return rows.map(toVersion);
  }

  async version(documentId: string, versionId: string): Promise<StoredVersion | null> {
    if (!isDocumentId(documentId) || !isDocumentId(versionId)) return null;
    const [row] = await this.prisma.$queryRaw<VersionRow[]>`
      SELECT ${VERSION_COLUMNS} FROM document_versions WHERE document_id = ${documentId}::uuid AND id = ${versionId}::uuid`;
    return row ? toVersion(row) : null;
  }

  async latestVersion(documentId: string): Promise<StoredVersion | null> {
    const [row] = await this.prisma.$queryRaw<VersionRow[]>`
      SELECT ${VERSION_COLUMNS} FROM document_versions WHERE document_id = ${documentId}::uuid ORDER BY seq DESC, created_at DESC LIMIT 1`;
    return row ? toVersion(row) : null;
  }
}

interface VersionRow {
  id: string;
  documentId: string;
  seq: number;
  kind: string;
  name: string | null;
  authorIds: string[];
  createdById: string | null;
  createdAt: Date;
}

const VERSION_COLUMNS = Prisma.raw(
  `id::text AS id, document_id::text AS "documentId", seq, kind, name, author_ids AS "authorIds", created_by_id AS "createdById", created_at AS "createdAt"`,
);

function toVersion(row: VersionRow): StoredVersion {
  return { ...row, kind: row.kind as VersionKind };
}

/**
 * Thins a document's automatic history from before `cutoff` to one moment per day: the windows of
 * each day are merged into the day's last (one chunk per author, so diffs still say who did what),
 * except that every moment a named, before-restore or before-import version points at stays a
 * moment of its own. Automatic versions of those days are cut to the day's last. A checkpoint is
 * written at a kept moment wherever the merged windows had one, so replays stay as short.
 * Runs under the same row lock as compaction. Answers how many windows were merged away.
 */
export async function thinHistory(prisma: PrismaClient, documentId: string, cutoff: Date): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM documents WHERE id = ${documentId}::uuid FOR NO KEY UPDATE`;
      if (locked.length === 0) return 0;
      const windows = await tx.$queryRaw<{ seq: number; day: string; hasCheckpoint: boolean }[]>`
        SELECT seq, to_char(max(ended_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, bool_or(is_checkpoint) AS "hasCheckpoint"
        FROM document_history WHERE document_id = ${documentId}::uuid GROUP BY seq HAVING max(ended_at) < ${cutoff.toISOString()}::timestamptz ORDER BY seq`;
      const pinned = new Set(
        (await tx.$queryRaw<{ seq: number }[]>`SELECT DISTINCT seq FROM document_versions WHERE document_id = ${documentId}::uuid AND kind <> 'auto'`).map((row) => row.seq),
      );
      // Segments of consecutive old windows, each ending at a day's last window or a pinned one.
      const segments: { seqs: number[]; hasCheckpoint: boolean; day: string }[] = [];
      let current: (typeof segments)[number] | null = null;
      for (const [index, window] of windows.entries()) {
        if (!current || current.day !== window.day) segments.push((current = { seqs: [], hasCheckpoint: false, day: window.day }));
        current.seqs.push(window.seq);
        current.hasCheckpoint ||= window.hasCheckpoint;
        const next = windows[index + 1];
        if (pinned.has(window.seq) || !next || next.day !== window.day) current = null;
      }
      let merged = 0;
      for (const segment of segments) {
        if (segment.seqs.length < 2) continue;
        const kept = segment.seqs[segment.seqs.length - 1];
        const first = segment.seqs[0];
        const checkpoint = segment.hasCheckpoint ? await stateAtEndOf(tx, documentId, kept) : null;
        const chunks = await tx.$queryRaw<{ authorId: string | null; data: string; startedAt: Date; endedAt: Date }[]>`
          SELECT author_id AS "authorId", encode(data, 'base64') AS data, started_at AS "startedAt", ended_at AS "endedAt" FROM document_history
          WHERE document_id = ${documentId}::uuid AND NOT is_checkpoint AND seq >= ${first} AND seq <= ${kept} ORDER BY seq, id`;
        if (chunks.length === 0) continue;
        const byAuthor = new Map<string | null, typeof chunks>();
        for (const chunk of chunks) {
          const group = byAuthor.get(chunk.authorId);
          if (group) group.push(chunk);
          else byAuthor.set(chunk.authorId, [chunk]);
        }
        await tx.$executeRaw`DELETE FROM document_history WHERE document_id = ${documentId}::uuid AND seq >= ${first} AND seq <= ${kept}`;
        const rows: HistoryRowInput[] = [...byAuthor].map(([authorId, group]) => ({
          seq: kept,
          authorId,
          isCheckpoint: false,
          startedAt: group[0].startedAt,
          endedAt: group[group.length - 1].endedAt,
          data: group.length === 1 ? fromBase64(group[0].data) : Y.mergeUpdates(group.map((chunk) => fromBase64(chunk.data))),
        }));
        const end = new Date(Math.max(...chunks.map((chunk) => chunk.endedAt.getTime())));
        if (checkpoint) rows.push({ seq: kept, authorId: null, isCheckpoint: true, startedAt: end, endedAt: end, data: checkpoint });
        await insertRows(tx, documentId, rows);
        // One automatic version per day at most, at the moment that day kept.
        const autos = await tx.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM document_versions WHERE document_id = ${documentId}::uuid AND kind = 'auto' AND seq >= ${first} AND seq <= ${kept}
          ORDER BY seq DESC, created_at DESC`;
        if (autos.length > 0) {
          await tx.$executeRaw`UPDATE document_versions SET seq = ${kept} WHERE id = ${autos[0].id}::uuid`;
          const rest = autos.slice(1).map((row) => row.id);
          if (rest.length > 0) await tx.$executeRaw`DELETE FROM document_versions WHERE id = ANY(${rest}::uuid[])`;
        }
        merged += segment.seqs.length - 1;
      }
      return merged;
    },
    { timeout: 60_000 },
  );
}

async function stateAtEndOf(tx: Sql, documentId: string, seq: number): Promise<Uint8Array> {
  const doc = new Y.Doc({ gc: true });
  try {
    await replayInto(tx, documentId, seq, doc);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Documents with more than one moment on some day before `cutoff`: the ones thinning would change. */
export async function documentsToThin(prisma: PrismaClient, cutoff: Date): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT document_id::text AS id FROM (
      SELECT document_id, seq, max(ended_at) AS ended FROM document_history WHERE ended_at < ${cutoff.toISOString()}::timestamptz GROUP BY document_id, seq
    ) windows GROUP BY document_id, date_trunc('day', ended AT TIME ZONE 'UTC') HAVING count(*) > 1`;
  return [...new Set(rows.map((row) => row.id))];
}
