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
