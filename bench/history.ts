import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import * as Y from "yjs";
import type { Accounts } from "../server/accounts/accounts.ts";
import type { CollaborationNotices } from "../server/collab/collaboration-channel.ts";
import { openDatabase } from "../server/db/database.ts";
import { HistoryStore } from "../server/documents/history-store.ts";
import { type Bytes, DocumentStore } from "../server/documents/store.ts";
import { exportDocument } from "../server/formats/index.ts";
import { contentOf } from "../server/history/content.ts";
import { DocumentHistory } from "../server/history/document-history.ts";
import { Versions } from "../server/history/versions.ts";
import { alternate, type Context, type Row, withWorker } from "./scenarios.ts";
import type { TargetName } from "./targets.ts";
import { median, quantile } from "./stats.ts";

/** automerge-paper typed at five keystrokes a second: what "an hour of typing" spans. */
const KEYS_PER_SECOND = 5;

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/**
 * 7. The history: automerge-paper replayed as about 1,000 compaction windows (100 in --quick) into
 * the real store, by two authors in turn, then moments rebuilt, diffed and exported as the API does.
 */
export async function history(context: Context): Promise<Row[]> {
  const windows = context.quick ? 100 : 1_000;
  const patches = context.quick ? context.loadTrace.patches.slice(0, 26_000) : context.loadTrace.patches;
  const perWindow = Math.ceil(patches.length / windows);
  const dataDir = await mkdtemp(path.join(tmpdir(), "inkwell-bench-history-"));
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const { createBenchDatabase, dropBenchDatabase } = await import("./targets.ts");
  const database = onPostgres ? await createBenchDatabase() : null;
  const db = await openDatabase({ dataDir, databaseUrl: database?.url });
  try {
    const store = new DocumentStore(db.prisma);
    const historyStore = new HistoryStore(db.prisma);
    const logger = pino({ level: "silent" });
    const versions = new Versions(store, historyStore, async (id) => void (await store.compact(id)), logger);
    const people = { people: async () => new Map() } as unknown as Accounts;
    const documentHistory = new DocumentHistory(store, historyStore, versions, people, {} as CollaborationNotices, logger);
    const { id } = await store.create("automerge-paper", null);

    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment("default").insert(0, [paragraph]);
    let batch: Bytes[] = [Y.encodeStateAsUpdate(doc) as Bytes];
    doc.on("update", (update: Uint8Array) => batch.push(update as Bytes));
    let window = 0;
    const writing = await timed(async () => {
      for (let at = 0; at < patches.length; at += perWindow) {
        for (const [position, deleteCount, insert] of patches.slice(at, at + perWindow)) {
          doc.transact(() => {
            if (deleteCount > 0) text.delete(position, deleteCount);
            if (insert) text.insert(position, insert);
          });
        }
        await store.appendUpdates(batch.map((data) => ({ documentId: id, data, authorId: window % 2 ? "author-b" : "author-a" })));
        batch = [];
        await store.compact(id);
        window += 1;
      }
    });
    // Each window took perWindow keystrokes of typing: spread the moments over that much time.
    const windowSeconds = perWindow / KEYS_PER_SECOND;
    const start = Date.now() - (window + 1) * windowSeconds * 1000;
    await db.prisma.$executeRaw`
      UPDATE document_history SET started_at = to_timestamp(${start / 1000}::float8 + seq * ${windowSeconds}::float8), ended_at = to_timestamp(${start / 1000}::float8 + seq * ${windowSeconds}::float8)
      WHERE document_id = ${id}::uuid`;
    const moments = await historyStore.moments(id);
    context.log(`  history: ${moments.length} moments written in ${(writing.ms / 1000).toFixed(1)} s (${(writing.ms / window).toFixed(1)} ms per window of ${perWindow} keys, append and compaction)`);

    const random = seeded(11);
    const rebuilds: number[] = [];
    for (let i = 0; i < 20; i++) {
      const seq = moments[1 + Math.floor(random() * (moments.length - 1))].seq;
      const { ms } = await timed(async () => {
        const rebuilt = new Y.Doc();
        await historyStore.replay(id, seq, rebuilt);
        return contentOf(rebuilt);
      });
      rebuilds.push(ms);
    }
    const hourWindows = Math.round(3600 / windowSeconds);
    const diffs: number[] = [];
    let lastDiff: { insertions: number; deletions: number } | null = null;
    for (let i = 0; i < (context.quick ? 2 : 5); i++) {
      const fromIndex = 1 + Math.floor(random() * Math.max(1, moments.length - hourWindows - 1));
      const from = moments[fromIndex];
      const to = moments[Math.min(moments.length - 1, fromIndex + hourWindows)];
      const { ms, value } = await timed(() => documentHistory.diff(id, { at: from.at }, { at: to.at }));
      lastDiff = value.changes;
      diffs.push(ms);
    }
    const [{ bytes }] = await db.prisma.$queryRaw<{ bytes: bigint }[]>`SELECT pg_total_relation_size('document_history') AS bytes`;
    const split = await historyStore.bytes(id);
    const whole = new Y.Doc();
    await store.loadInto(id, whole);
    const content = contentOf(whole);
    const exports: number[] = [];
    let markdownBytes = 0;
    for (let i = 0; i < 5; i++) {
      const { ms, value } = await timed(() => exportDocument(content, "markdown", { title: "automerge-paper" }));
      markdownBytes = String(value.body).length;
      exports.push(ms);
    }
    const mb = Number(bytes) / 2 ** 20;
    context.log(
      `  history: rebuild p50 ${median(rebuilds).toFixed(1)} ms (p95 ${quantile(rebuilds, 0.95).toFixed(1)}), diff over ${hourWindows} windows p50 ${median(diffs).toFixed(1)} ms (last: ${JSON.stringify(lastDiff)}), ` +
        `${mb.toFixed(2)} MB stored (chunks ${(split.chunks / 2 ** 20).toFixed(2)} MB, checkpoints ${(split.checkpoints / 2 ** 20).toFixed(2)} MB before compression), markdown export of ${markdownBytes} characters p50 ${median(exports).toFixed(1)} ms`,
    );
    const backend = onPostgres ? "Postgres" : "embedded";
    const label = `${moments.length} moments of automerge-paper on ${backend}${context.quick ? " (--quick: a tenth of it)" : ""}`;
    const only = (value: number, goal: string, met: boolean): Row => ({ scenario: "history", metric: "", unit: "", ours: onPostgres ? value : null, embedded: onPostgres ? null : value, baseline: null, ratio: null, goal, met });
    return [
      { ...only(median(rebuilds), "< 150 ms", median(rebuilds) < 150), metric: `any moment rebuilt, p50 of 20 random, ${label}`, unit: "ms" },
      { ...only(median(diffs), "< 300 ms", median(diffs) < 300), metric: `diff of two moments an hour of typing apart (${hourWindows} windows), p50`, unit: "ms" },
      { ...only(mb, "≤ 4 MB", mb <= 4), metric: "all of its history stored (pg_total_relation_size)", unit: "MB" },
      { ...only(median(exports), "< 100 ms", median(exports) < 100), metric: `Markdown export of the whole document (${markdownBytes} characters), p50 of 5`, unit: "ms" },
    ];
  } finally {
    await db.close();
    if (database) await dropBenchDatabase(database.name);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * 8. What keeping history costs the writers: keystroke latency and durable updates/s on Inkwell
 * (Postgres) beside the same server with KEEP_HISTORY=false, in alternating rounds. Each round types
 * for 12 s so every document's compaction (at most 10 s apart while people type) writes history
 * while it is measured.
 */
export async function historyCost(context: Context): Promise<Row[]> {
  const names: TargetName[] = ["ours-postgres", "ours-no-history"];
  if (!context.targets.has("ours-no-history")) return [];
  const seconds = context.quick ? 2 : 12;
  const rounds = context.quick ? 1 : 3;
  const latency = await alternate(context, names, rounds, (target) =>
    withWorker(async (worker) => {
      const [doc] = await target.documents(1);
      await worker.call({ type: "open", target: target.info(), docs: [doc], clients: [{ doc: 0, light: false }, { doc: 0, light: false }], concurrency: 20 });
      const result = await worker.call<{ latencies: number[] }>({
        type: "type", typists: [0], observers: [1], keysPerSecond: 8, seconds, warmupSeconds: context.quick ? 0.5 : 1,
        patches: context.typing.patches.slice(0, 20_000), seed: 3,
      });
      context.log(`  history cost, latency on ${target.name}: p50 ${quantile(result.latencies, 0.5).toFixed(2)} ms, p99 ${quantile(result.latencies, 0.99).toFixed(2)} ms`);
      return { p50: quantile(result.latencies, 0.5), p99: quantile(result.latencies, 0.99) };
    }),
  );
  const durable = await alternate(context, names, rounds, (target) =>
    withWorker(async (worker) => {
      const docs = await target.documents(10);
      const clients = Array.from({ length: 40 }, (_, i) => ({ doc: i % docs.length, light: false }));
      await worker.call({ type: "open", target: target.info(), docs, clients, concurrency: 20 });
      const result = await worker.call<{ acknowledged: number }>({ type: "hammer", writers: clients.map((_, i) => i), seconds, window: 16 });
      context.log(`  history cost, durability on ${target.name}: ${(result.acknowledged / seconds).toFixed(0)} acknowledged updates/s`);
      return { perSecond: result.acknowledged / seconds };
    }),
  );
  const compare = (metric: string, unit: string, values: Partial<Record<TargetName, number>>, goal: string, isMet: (ratio: number) => boolean): Row => {
    const ours = values["ours-postgres"] ?? null;
    const without = values["ours-no-history"] ?? null;
    const ratio = ours !== null && without ? ours / without : null;
    return { scenario: "history cost", metric: `${metric} (baseline: the same server keeping no history)`, unit, ours, baseline: without, ratio, goal, met: ratio === null ? null : isMet(ratio) };
  };
  return [
    compare("keystroke latency p50, 2 clients, while history is written", "ms", latency("p50"), "≤ 1.2x without history", (ratio) => ratio <= 1.2),
    compare("keystroke latency p99, 2 clients, while history is written", "ms", latency("p99"), "≤ 1.2x without history", (ratio) => ratio <= 1.2),
    compare("acknowledged updates/s, 40 writers, while history is written", "1/s", durable("perSecond"), "≥ 0.9x without history", (ratio) => ratio >= 0.9),
  ];
}
