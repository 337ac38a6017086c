import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { seededRandom } from "../../bench/stats.ts";
import { checkUpdate } from "../../server/collab/update-check.ts";
import { loadTrace } from "../support/traces.ts";

/**
 * Two writers replaying a real trace in turns, each seeing the other's changes before typing again,
 * so later updates depend on the other writer's items. Returns the updates in the order a server
 * would receive them.
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
    const doc = documentFrom(updates.slice(0, 200));
    const afterGap = updates[201];
    expect(scratchVerdict(Y.encodeStateAsUpdate(doc), afterGap)).toBe("pending");
    expect(checkUpdate(afterGap, doc)).toBe("missing dependencies");
    expect(doc.store.pendingStructs).toBeNull();
  });

  it("refuses a delete of content the server does not have", () => {
    const writer = documentFrom(updates.slice(0, 300));
    const server = documentFrom(updates.slice(0, 100));
    const before = Y.encodeStateVector(writer);
    (writer.getXmlFragment("default").get(0) as Y.XmlText).delete(0, 20);
    const deleteOnly = Y.encodeStateAsUpdate(writer, before);
    expect(scratchVerdict(Y.encodeStateAsUpdate(server), deleteOnly)).toBe("pending");
    expect(checkUpdate(deleteOnly, server)).toBe("deletes unknown content");
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
