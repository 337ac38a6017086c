import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { seededRandom } from "../../bench/stats.ts";
import { checkUpdate } from "../../server/collab/update-check.ts";
import { loadTrace } from "../support/traces.ts";

/**
 * Two writers replaying an editing trace in turns (the real one from ../shared, or the seeded stand-in
 * where it is absent), each seeing the other's changes before typing again, so later updates depend on
 * the other writer's items. Returns the updates in the order a server would receive them. Which update
 * depends on which differs between the two traces, so tests that need a particular dependency build it
 * themselves (typedInTurn).
 */
function twoWriterUpdates(limit: number): Uint8Array[] {
  const trace = loadTrace("friendsforever_flat", limit);
  const writers = [new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  writers[0].getXmlFragment("default").insert(0, [new Y.XmlText()]);
  updates.push(Y.encodeStateAsUpdate(writers[0]));
  Y.applyUpdate(writers[1], updates[0]);
  trace.patches.forEach(([position, deleteCount, insert], index) => {
    const writer = writers[Math.floor(index / 7) % 2];
    const other = writers[1 - writers.indexOf(writer)];
    const paragraph = writer.getXmlFragment("default").get(0) as Y.XmlText;
    const before = Y.encodeStateVector(writer);
    writer.transact(() => {
      if (deleteCount > 0) paragraph.delete(position, deleteCount);
      if (insert) paragraph.insert(position, insert);
    });
    const update = Y.encodeStateAsUpdate(writer, before);
    updates.push(update);
    Y.applyUpdate(other, update);
  });
  return updates;
}

/** The update a change made on `doc` produces, as its writer's provider sends it: that transaction's alone. */
function typed(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | undefined;
  const keep = (payload: Uint8Array) => (update = payload);
  doc.on("update", keep);
  doc.transact(change);
  doc.off("update", keep);
  if (!update) throw new Error("the change produced no update");
  return update;
}

/**
 * A document with one empty paragraph (`base`), then "hello" typed into it (`first`), then " world"
 * typed right after it (`second`), whose first item's origin is the "o" of `first`, so it cannot go
 * in without `first`. Built here rather than taken from a trace so the dependency holds on any clone.
 */
function typedInTurn() {
  const writer = new Y.Doc();
  const paragraph = new Y.XmlText();
  writer.getXmlFragment("default").insert(0, [paragraph]);
  const base = Y.encodeStateAsUpdate(writer);
  const first = typed(writer, () => paragraph.insert(0, "hello"));
  const second = typed(writer, () => paragraph.insert(5, " world"));
  return { writer, paragraph, base, first, second };
}

/** The first item of an update. */
function firstItem(update: Uint8Array): Y.Item {
  const struct = Y.decodeUpdate(update).structs[0];
  if (!(struct instanceof Y.Item)) throw new Error("the update starts with no item");
  return struct;
}

/** Whether an update adds the item an id names. */
function adds(update: Uint8Array, id: Y.ID | null): boolean {
  return Y.decodeUpdate(update).structs.some(
    (struct) => id !== null && struct.id.client === id.client && struct.id.clock <= id.clock && id.clock < struct.id.clock + struct.length,
  );
}

function documentFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** The reference verdict: apply to a scratch copy and see whether it throws or leaves anything pending. */
function scratchVerdict(base: Uint8Array, update: Uint8Array): "clean" | "throws" | "pending" {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, base);
  try {
    Y.applyUpdate(scratch, update);
  } catch {
    return "throws";
  }
  return scratch.store.pendingStructs || scratch.store.pendingDs ? "pending" : "clean";
}

function mutate(update: Uint8Array, random: () => number): Uint8Array {
  const bytes = Uint8Array.from(update);
  switch (Math.floor(random() * 4)) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + random() * 3; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    case 1: // truncate
      return bytes.slice(0, Math.floor(random() * bytes.length));
    case 2: // nudge a varint, which shifts clocks and ids
      bytes[Math.floor(random() * bytes.length)] += random() < 0.5 ? 1 : -1;
      return bytes;
    default: // splice in random bytes
      return Uint8Array.from([
        ...bytes.slice(0, Math.floor(random() * bytes.length)),
        ...Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 256)),
        ...bytes.slice(Math.floor(random() * bytes.length)),
      ]);
  }
}

describe("checking an incoming update before it is applied", () => {
  const updates = twoWriterUpdates(1_500);

  it("accepts every update of two real writers, in the order the server receives them", () => {
    const doc = new Y.Doc();
    updates.forEach((update, index) => {
      expect(checkUpdate(update, doc), `update ${index}`).toBeNull();
      Y.applyUpdate(doc, update);
    });
    expect(doc.store.pendingStructs).toBeNull();
  });

  it("refuses an update whose predecessor never arrived, which a scratch copy would leave pending", () => {
    const { writer, base, first, second } = typedInTurn();
    // The case itself: " world" is typed after the "o" of "hello", by the same writer.
    expect(firstItem(second).id.client).toBe(writer.clientID);
    expect(adds(first, firstItem(second).origin)).toBe(true);
    const server = documentFrom([base]);
    expect(scratchVerdict(base, second)).toBe("pending");
    expect(checkUpdate(second, server)).toBe("missing dependencies");
    expect(server.store.pendingStructs).toBeNull();
    // Once its predecessor is in, the same update goes in.
    expect(checkUpdate(first, server)).toBeNull();
    Y.applyUpdate(server, first);
    expect(checkUpdate(second, server)).toBeNull();
  });

  it("refuses a writer's update that follows a gap in its own clock, though everything it refers to is known", () => {
    const { writer, base, first, second } = typedInTurn();
    // A second paragraph after the first one, which came with `base`: it refers to nothing of
    // `first` or `second`, but its clock comes after theirs.
    const paragraph = typed(writer, () => writer.getXmlFragment("default").insert(1, [new Y.XmlText()]));
    expect(firstItem(paragraph).rightOrigin).toBeNull();
    expect(adds(base, firstItem(paragraph).origin)).toBe(true);
    const server = documentFrom([base]);
    expect(firstItem(paragraph).id.clock).toBeGreaterThan(Y.getState(server.store, writer.clientID));
    expect(scratchVerdict(base, paragraph)).toBe("pending");
    expect(checkUpdate(paragraph, server)).toBe("missing dependencies");
    Y.applyUpdate(server, first);
    Y.applyUpdate(server, second);
    expect(checkUpdate(paragraph, server)).toBeNull();
  });

  it("refuses another writer's update typed after content the server never got, though that writer's own clock has no gap", () => {
    const { base, first } = typedInTurn();
    const other = documentFrom([base, first]);
    const reply = typed(other, () => (other.getXmlFragment("default").get(0) as Y.XmlText).insert(5, " there"));
    // The other writer's first item: clock 0, nothing missing of its own, only its origin.
    expect(firstItem(reply).id.clock).toBe(0);
    expect(adds(first, firstItem(reply).origin)).toBe(true);
    const server = documentFrom([base]);
    expect(scratchVerdict(base, reply)).toBe("pending");
    expect(checkUpdate(reply, server)).toBe("missing dependencies");
    Y.applyUpdate(server, first);
    expect(checkUpdate(reply, server)).toBeNull();
  });

  it("refuses a delete of content the server does not have", () => {
    const { writer, paragraph, base, first } = typedInTurn();
    const server = documentFrom([base, first]);
    // " world" is the writer's alone: deleting it refers to items the server never saw.
    const deleteUnknown = typed(writer, () => paragraph.delete(5, 6));
    expect(Y.decodeUpdate(deleteUnknown).structs).toHaveLength(0);
    expect(scratchVerdict(Y.encodeStateAsUpdate(server), deleteUnknown)).toBe("pending");
    expect(checkUpdate(deleteUnknown, server)).toBe("deletes unknown content");
    // Deleting what the server does have is fine.
    const deleteKnown = typed(writer, () => paragraph.delete(0, 5));
    expect(scratchVerdict(Y.encodeStateAsUpdate(server), deleteKnown)).toBe("clean");
    expect(checkUpdate(deleteKnown, server)).toBeNull();
  });

  it("never accepts a mutated update that would throw or stay pending on a scratch copy (20,000 seeded mutations)", () => {
    const random = seededRandom(20261122);
    const tally = { accepted: 0, refused: 0, refusedButClean: 0, acceptedButBroken: 0 };
    const bases = [100, 400, 900].map((count) => ({ doc: documentFrom(updates.slice(0, count)), count }));
    for (const base of bases) (base as { state?: Uint8Array }).state = Y.encodeStateAsUpdate(base.doc);
    for (let i = 0; i < 20_000; i++) {
      const base = bases[i % bases.length] as (typeof bases)[number] & { state: Uint8Array };
      // Mostly the update a writer would send next; sometimes one from further ahead, whose
      // dependencies are missing.
      const source = updates[base.count + (random() < 0.8 ? 0 : Math.floor(random() * 40))];
      const candidate = mutate(source, random);
      const verdict = checkUpdate(candidate, base.doc);
      const reference = scratchVerdict(base.state, candidate);
      if (verdict === null) {
        tally.accepted++;
        if (reference !== "clean") tally.acceptedButBroken++;
      } else {
        tally.refused++;
        if (reference === "clean") tally.refusedButClean++;
      }
    }
    console.log(`update check: ${tally.accepted} accepted, ${tally.refused} refused (${tally.refusedButClean} of them clean on a scratch copy), ${tally.acceptedButBroken} broken accepted / 20000 mutations`);
    expect(tally.acceptedButBroken).toBe(0);
    expect(tally.accepted).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(100);
  });
});
