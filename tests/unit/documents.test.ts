import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type Database, openDatabase } from "../../server/db/database.ts";
import { type Bytes, CorruptDocumentError, DocumentStore, storedStateAsUpdate } from "../../server/documents/store.ts";
import { GroupCommit } from "../../server/collab/group-commit.ts";
import { backends, freshStorage, type Storage } from "../support/server.ts";
import { loadTrace } from "../support/traces.ts";

/** Replays a trace into a paragraph of the editor's fragment, one Yjs update per patch. */
function traceUpdates(limit: number): { updates: Bytes[]; text: string; traceName: string } {
  const trace = loadTrace("seph-blog1", limit);
  const doc = new Y.Doc();
  const paragraph = new Y.XmlText();
  doc.getXmlFragment("default").insert(0, [paragraph]);
  const updates: Bytes[] = [Y.encodeStateAsUpdate(doc) as Bytes];
  doc.on("update", (update: Uint8Array) => updates.push(update as Bytes));
  for (const [position, deleteCount, insert] of trace.patches) {
    doc.transact(() => {
      if (deleteCount > 0) paragraph.delete(position, deleteCount);
      if (insert) paragraph.insert(position, insert);
    });
  }
  expect(paragraph.toString()).toBe(trace.endContent);
  return { updates, text: trace.endContent, traceName: trace.name };
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getXmlFragment("default").toArray().map(String).join("");
}

describe.each(backends())("the document store on %s storage", (backend) => {
  let storage: Storage;
  let database: Database;
  let store: DocumentStore;

  const open = async () => {
    storage = await freshStorage(backend);
    database = await openDatabase(storage);
    store = new DocumentStore(database.prisma);
  };

  afterEach(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it("compaction folds a real editing trace into the snapshot and the content stays identical", async () => {
    await open();
    const { updates, text } = traceUpdates(6_000);
    const { id } = await store.create("Trace", null);
    for (let i = 0; i < updates.length; i += 500) {
      await store.appendUpdates(updates.slice(i, i + 500).map((data) => ({ documentId: id, data })));
    }
    const beforeCompaction = await store.loadState(id);
    expect(textOf(beforeCompaction!)).toBe(text);

    expect(await store.compact(id)).toBe(updates.length);
    expect(await store.pendingUpdates(id)).toBe(0);
    const afterCompaction = await store.loadState(id);
    expect(textOf(afterCompaction!)).toBe(text);
    // Compacting twice changes nothing.
    expect(await store.compact(id)).toBe(0);
    expect(textOf((await store.loadState(id))!)).toBe(text);
  });

  it("compaction takes the server's copy in memory when it holds everything stored, and rebuilds when it does not", async () => {
    await open();
    const { updates, text } = traceUpdates(2_000);
    const { id } = await store.create("In memory", null);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await store.loadState(id))!);
    for (const update of updates.slice(0, 1_500)) Y.applyUpdate(loaded, update);
    await store.appendUpdates(updates.slice(0, 1_500).map((data) => ({ documentId: id, data })));

    expect(await store.compact(id, loaded)).toBe(1_500);
    expect(await store.pendingUpdates(id)).toBe(0);
    expect(Buffer.from((await store.loadState(id))!).equals(Buffer.from(Y.encodeStateAsUpdate(loaded)))).toBe(true);

    // Rows this copy never saw (another process's, say) must not be folded away by it.
    await store.appendUpdates(updates.slice(1_500).map((data) => ({ documentId: id, data })));
    expect(await store.compact(id, loaded)).toBe(updates.length - 1_500);
    expect(textOf((await store.loadState(id))!)).toBe(text);
  });

  it("updates appended while compactions run are never lost", async () => {
    await open();
    const { updates, text } = traceUpdates(1_500);
    const { id } = await store.create("Race", null);
    const appends = (async () => {
      for (let i = 0; i < updates.length; i += 25) {
        await store.appendUpdates(updates.slice(i, i + 25).map((data) => ({ documentId: id, data })));
      }
    })();
    let compactions = 0;
    let done = false;
    void appends.then(() => (done = true));
    while (!done) {
      await store.compact(id);
      compactions += 1;
    }
    await appends;
    expect(compactions).toBeGreaterThan(1);
    expect(textOf((await store.loadState(id))!)).toBe(text);
    await store.compact(id);
    expect(textOf((await store.loadState(id))!)).toBe(text);
  });

  it("a snapshot in the v2 encoding the previous release wrote still loads, and compaction rewrites it in v1, the encoding a fresh client is sent as stored", async () => {
    await open();
    const { updates, text } = traceUpdates(3_000);
    const { id } = await store.create("From the previous release", null);
    const whole = new Y.Doc();
    for (const update of updates.slice(0, 2_000)) Y.applyUpdate(whole, update);
    const v2 = Y.encodeStateAsUpdateV2(whole) as Bytes;
    await database.prisma.document.update({ where: { id }, data: { snapshot: v2, snapshotEncoding: 2 } });
    const early = await store.read(id);
    expect(textOf(storedStateAsUpdate(early!)!)).toBe(textOf(Y.encodeStateAsUpdate(whole)));
    await store.appendUpdates(updates.slice(2_000).map((data) => ({ documentId: id, data })));
    expect(textOf((await store.loadState(id))!)).toBe(text);
    // With log rows pending, the snapshot alone is not the document: no shortcut is offered.
    expect(storedStateAsUpdate((await store.read(id))!)).toBeNull();

    expect(await store.compact(id)).toBe(updates.length - 2_000);
    const stored = await database.prisma.document.findUniqueOrThrow({ where: { id }, select: { snapshot: true, snapshotEncoding: true } });
    expect(stored.snapshotEncoding).toBe(1);
    expect(textOf(stored.snapshot!)).toBe(text);
    expect(textOf(storedStateAsUpdate((await store.read(id))!)!)).toBe(text);
  });

  it("an unknown document loads as null and a corrupt update throws instead of loading partially", async () => {
    await open();
    expect(await store.loadState(crypto.randomUUID())).toBeNull();
    expect(await store.loadState("not-an-id")).toBeNull();
    const { id } = await store.create("Corrupt", null);
    await store.appendUpdates([{ documentId: id, data: new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]) }]);
    await expect(store.loadState(id)).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(store.compact(id)).rejects.toBeInstanceOf(CorruptDocumentError);
  });

  it("documents are created, listed newest first, renamed and deleted with their log", async () => {
    await open();
    const first = await store.create("First", null);
    const second = await store.create("Second", null);
    expect(first.url).toBe(`/d/${first.id}`);
    const listed = async () => (await store.listByIds([first.id, second.id])).map((document) => document.title);
    expect(await listed()).toEqual(["Second", "First"]);
    expect((await store.rename(first.id, "Renamed"))?.title).toBe("Renamed");
    expect((await listed())[0]).toBe("Renamed");
    await store.appendUpdates([{ documentId: second.id, data: Y.encodeStateAsUpdate(new Y.Doc()) as Bytes }]);
    expect(await store.remove(second.id)).toBe(true);
    expect(await store.remove(second.id)).toBe(false);
    expect(await store.get(second.id)).toBeNull();
    expect(await store.pendingUpdates(second.id)).toBe(0);
  });

  it("a client id belongs to whoever claims it first, even when two claim it at once; the mapping is kept, and outlives a deleted account", async () => {
    await open();
    const user = (name: string) => database.prisma.user.create({ data: { id: name, name, email: `${name}@example.com` } });
    const [wanda, mallory] = await Promise.all([user("wanda"), user("mallory")]);
    const { id } = await store.create("Claimed", wanda.id);

    expect(await store.claimClientIds(id, wanda.id, [1, 2])).toEqual(new Map([[1, wanda.id], [2, wanda.id]]));
    // Another user's claim on a taken id answers its owner; a free one is theirs.
    expect(await store.claimClientIds(id, mallory.id, [2, 3])).toEqual(new Map([[2, wanda.id], [3, mallory.id]]));
    const racing = await Promise.all([store.claimClientIds(id, wanda.id, [4]), store.claimClientIds(id, mallory.id, [4])]);
    expect(racing[0].get(4)).toBe(racing[1].get(4));

    await database.prisma.user.delete({ where: { id: mallory.id } });
    expect(await store.clientIdOwners(id)).toEqual(new Map([[1, wanda.id], [2, wanda.id], [3, null], [4, racing[0].get(4) === mallory.id ? null : wanda.id]]));
    expect(await store.claimClientIds(id, wanda.id, [3])).toEqual(new Map([[3, null]]));
    await store.remove(id);
    expect(await store.clientIdOwners(id)).toEqual(new Map());
  });

  it("concurrent appends share commits, and a deleted document's updates fail alone", async () => {
    await open();
    const stats = { batches: 0, rows: 0 };
    const commits = new GroupCommit((rows) => store.appendUpdates(rows), {
      onCommit(rows) {
        stats.batches += 1;
        stats.rows += rows;
      },
    });
    const { id } = await store.create("Busy", null);
    const doomed = await store.create("Doomed", null);
    await store.remove(doomed.id);
    const { updates, text } = traceUpdates(400);

    const results = await Promise.allSettled([
      ...updates.map((update) => commits.append(id, update)),
      commits.append(doomed.id, updates[0]),
    ]);
    expect(results.slice(0, -1).every((result) => result.status === "fulfilled")).toBe(true);
    expect(results.at(-1)?.status).toBe("rejected");
    expect(stats.rows).toBe(updates.length);
    expect(stats.batches).toBeLessThan(updates.length / 10);
    expect(await store.pendingUpdates(id)).toBe(updates.length);
    expect(textOf((await store.loadState(id))!)).toBe(text);
  });
});
