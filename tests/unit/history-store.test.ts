import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type Database, openDatabase } from "../../server/db/database.ts";
import { HistoryStore } from "../../server/documents/history-store.ts";
import { type Bytes, DocumentStore } from "../../server/documents/store.ts";
import { backends, freshStorage, type Storage } from "../support/server.ts";
import { loadTrace } from "../support/traces.ts";

/** A real editing trace typed into one paragraph of the editor's fragment, one update per patch. */
function typedTrace(limit: number) {
  const trace = loadTrace("seph-blog1", limit);
  const doc = new Y.Doc();
  const paragraph = new Y.XmlText();
  doc.getXmlFragment("default").insert(0, [paragraph]);
  const steps: { update: Bytes; text: string }[] = [{ update: Y.encodeStateAsUpdate(doc) as Bytes, text: "" }];
  let pending: Bytes | null = null;
  doc.on("update", (update: Uint8Array) => (pending = update as Bytes));
  for (const [position, deleteCount, insert] of trace.patches) {
    doc.transact(() => {
      if (deleteCount > 0) paragraph.delete(position, deleteCount);
      if (insert) paragraph.insert(position, insert);
    });
    steps.push({ update: pending!, text: paragraph.toString() });
  }
  return steps;
}

function textOf(doc: Y.Doc): string {
  return doc.getXmlFragment("default").toArray().map(String).join("");
}

describe.each(backends())("the history kept by compaction on %s storage", (backend) => {
  let storage: Storage;
  let database: Database;
  let store: DocumentStore;
  let history: HistoryStore;

  afterEach(async () => {
    await database?.close();
    await storage?.dispose();
  });

  const open = async () => {
    storage = await freshStorage(backend);
    database = await openDatabase(storage);
    store = new DocumentStore(database.prisma);
    history = new HistoryStore(database.prisma);
  };

  it("typing across many compactions: every moment rebuilds to exactly the text it had, deletes made later not yet applied", async () => {
    await open();
    const steps = typedTrace(6_000);
    const { id } = await store.create("History", null);
    // Windows of uneven size, by two authors, as compactions fall while people type.
    const expected = new Map<number, string>();
    let at = 0;
    let window = 0;
    while (at < steps.length) {
      const size = 37 + ((window * 97) % 400);
      const batch = steps.slice(at, at + size);
      await store.appendUpdates(batch.map((step, i) => ({ documentId: id, data: step.update, authorId: (at + i) % 3 === 0 ? "ada" : "bob" })));
      await store.compact(id);
      at += size;
      window += 1;
      expected.set((await history.lastSeq(id))!, batch[batch.length - 1].text);
    }
    expect(window).toBeGreaterThan(20);
    const moments = await history.moments(id);
    // Window 0 is the document as created: empty.
    expect(moments.map((moment) => moment.seq)).toEqual([0, ...expected.keys()]);
    for (const [seq, text] of expected) {
      const doc = new Y.Doc();
      expect(await history.replay(id, seq, doc)).toBe(true);
      expect(textOf(doc), `moment ${seq}`).toBe(text);
    }
    const empty = new Y.Doc();
    await history.replay(id, 0, empty);
    expect(textOf(empty)).toBe("");
    // Checkpoints were written along the way, so a moment never replays the whole history.
    const { chunks, checkpoints } = await history.bytes(id);
    expect(checkpoints).toBeGreaterThan(0);
    expect(checkpoints).toBeLessThanOrEqual(chunks * 2 + 1000);
  });

  it("a window's chunks are kept per author, and a version's authors are those who changed something since the version before", async () => {
    await open();
    const steps = typedTrace(300);
    const { id } = await store.create("Authors", null);
    await store.appendUpdates(steps.slice(0, 100).map((step) => ({ documentId: id, data: step.update, authorId: "ada" })));
    await store.compact(id);
    const first = await history.createVersion(id, { seq: (await history.lastSeq(id))!, kind: "named", name: "Ada's draft", createdById: "ada" });
    expect(first.authorIds).toEqual(["ada"]);
    await store.appendUpdates(steps.slice(100, 200).map((step, i) => ({ documentId: id, data: step.update, authorId: i % 2 ? "bob" : "cy" })));
    await store.compact(id);
    const second = await history.createVersion(id, { seq: (await history.lastSeq(id))!, kind: "auto" });
    expect(second.authorIds).toEqual(["bob", "cy"]);
    const chunks = await history.chunksBetween(id, first.seq, second.seq);
    expect(chunks.map((chunk) => chunk.authorId).sort()).toEqual(["bob", "cy"]);
    expect((await history.versions(id)).map((version) => version.name ?? version.kind)).toEqual(["auto", "Ada's draft"]);
  });

  it("a log the fuzz test left (a row repeating known clocks with other structure) compacts into a history that replays to what the live document holds", async () => {
    await open();
    const { rows } = JSON.parse(readFileSync(new URL("../fixtures/fuzzed-log-rows.json", import.meta.url), "utf8")) as { rows: string[] };
    const updates = rows.map((row) => Buffer.from(row, "base64") as Bytes);
    const { id } = await store.create("Fuzzed", null);
    await store.appendUpdates(updates.map((data) => ({ documentId: id, data, authorId: "fuzzer" })));
    // Folded in two windows, so the second replays on a checkpoint or on the first window's chunk.
    await store.compact(id, undefined, 20);
    await store.compact(id);
    const live = new Y.Doc();
    for (const update of updates) Y.applyUpdate(live, update);
    const moments = await history.moments(id);
    expect(moments).toHaveLength(3);
    const replayed = new Y.Doc();
    await history.replay(id, moments[2].seq, replayed);
    expect(JSON.stringify(replayed.getXmlFragment("default").toJSON())).toBe(JSON.stringify(live.getXmlFragment("default").toJSON()));
  });

  it("deleting a document deletes its history and versions", async () => {
    await open();
    const steps = typedTrace(50);
    const { id } = await store.create("Gone", null);
    await store.appendUpdates(steps.map((step) => ({ documentId: id, data: step.update })));
    await store.compact(id);
    await history.createVersion(id, { seq: 1, kind: "named", name: "kept?" });
    await store.remove(id);
    expect(await history.moments(id)).toEqual([]);
    expect(await history.versions(id)).toEqual([]);
  });
});

describe.each(backends())("history retention on %s storage", (backend) => {
  let storage: Storage;
  let database: Database;

  afterEach(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it("thins history older than the cutoff to one moment per day, keeps named versions' moments whole, and changes no moment it keeps", async () => {
    storage = await freshStorage(backend);
    database = await openDatabase(storage);
    const store = new DocumentStore(database.prisma);
    const history = new HistoryStore(database.prisma);
    const steps = typedTrace(2_000);
    const { id } = await store.create("Old", null);
    // 20 windows over 4 old days (5 a day), then 3 recent ones.
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const days = [40, 39, 38, 37];
    let at = 0;
    const perWindow = 80;
    for (let window = 0; window < 23; window++) {
      await store.appendUpdates(steps.slice(at, at + perWindow).map((step) => ({ documentId: id, data: step.update, authorId: window % 2 ? "ada" : "bob" })));
      await store.compact(id);
      at += perWindow;
      const seq = (await history.lastSeq(id))!;
      if (window < 20) {
        // From 08:00 to 12:00 UTC of that day, whatever the time the test runs at.
        const when = new Date(today - days[Math.floor(window / 5)] * 86_400_000 + (8 + (window % 5)) * 3_600_000).toISOString();
        await database.prisma.$executeRaw`UPDATE document_history SET started_at = ${when}::timestamptz, ended_at = ${when}::timestamptz WHERE document_id = ${id}::uuid AND seq = ${seq}`;
      }
      if (window === 7) await history.createVersion(id, { seq, kind: "named", name: "Kept whole" });
      if (window % 5 === 1) await history.createVersion(id, { seq, kind: "auto" });
    }
    await database.prisma.$executeRaw`UPDATE document_history SET started_at = now() - interval '41 days', ended_at = now() - interval '41 days' WHERE document_id = ${id}::uuid AND seq = 0`;
    const textAt = async (seq: number) => {
      const doc = new Y.Doc();
      await history.replay(id, seq, doc);
      return textOf(doc);
    };
    const before = new Map<number, string>();
    for (const { seq } of await history.moments(id)) before.set(seq, await textAt(seq));

    const cutoff = new Date(Date.now() - 30 * 86_400_000);
    const { documentsToThin, thinHistory } = await import("../../server/documents/history-store.ts");
    expect(await documentsToThin(database.prisma, cutoff)).toEqual([id]);
    const merged = await thinHistory(database.prisma, id, cutoff);
    expect(merged).toBeGreaterThan(10);

    const after = await history.moments(id);
    const oldDays = new Map<string, number>();
    for (const moment of after.filter((entry) => entry.at < cutoff)) {
      const day = moment.at.toISOString().slice(0, 10);
      oldDays.set(day, (oldDays.get(day) ?? 0) + 1);
    }
    // One moment a day (the day the document was made, with its first moment, too), except the day
    // with the named version, which keeps that moment as well.
    expect([...oldDays.values()].sort()).toEqual([1, 1, 1, 1, 2]);
    for (const { seq } of after) expect(await textAt(seq), `moment ${seq}`).toBe(before.get(seq));
    // The recent windows are untouched, and the present is the same.
    expect(after.slice(-3).map((moment) => moment.seq)).toEqual([...before.keys()].slice(-3));
    const named = (await history.versions(id)).find((version) => version.kind === "named")!;
    expect(after.map((moment) => moment.seq)).toContain(named.seq);
    const autos = (await history.versions(id)).filter((version) => version.kind === "auto");
    // One per old day, and the recent one.
    expect(autos).toHaveLength(5);
    for (const version of autos) expect(after.map((moment) => moment.seq)).toContain(version.seq);
    // Thinning again finds nothing more to merge.
    expect(await thinHistory(database.prisma, id, cutoff)).toBe(0);
  });
});
