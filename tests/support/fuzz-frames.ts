import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { seededRandom } from "../../bench/stats.ts";
import { frame } from "./wire.ts";

export type FrameKind = "sync" | "update" | "awareness" | "auth" | "other" | "garbage";

/**
 * Valid frames of every kind a client sends, made from a real replica of the document, mutated the
 * ways a broken or hostile client would: flipped and nudged bytes (which shift varints, clocks and
 * ids), truncation, spliced-in bytes, swapped document names, and plain garbage.
 */
export class FrameFuzzer {
  private readonly random: () => number;
  private readonly awareness: awarenessProtocol.Awareness;

  constructor(
    seed: number,
    private readonly documentId: string,
    /** A replica kept in step with the server's document, so unmutated updates are valid ones. */
    private readonly replica: Y.Doc,
    private readonly token: () => string,
    /** The kinds this fuzzer sends, in proportion to their weights. */
    private readonly weights: Partial<Record<FrameKind, number>> = { update: 35, sync: 20, awareness: 20, auth: 10, other: 10, garbage: 5 },
  ) {
    this.random = seededRandom(seed);
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
  }

  /**
   * The next frame to send, what kind of frame it was before mutation, and whether it still reaches
   * the fuzzed document's session (its name intact). Hocuspocus closes the whole socket (4401) on a
   * frame it cannot route, so the sender may want to send those last.
   */
  next(): { kind: FrameKind; bytes: Uint8Array; addressed: boolean } {
    const kind = this.pickKind();
    if (kind === "garbage") return { kind, bytes: this.bytes(1 + Math.floor(this.random() * 120)), addressed: false };
    const name = this.random() < 0.95 ? this.documentId : this.otherName();
    const valid = this.valid(kind, name);
    // One in ten goes out intact, so the session also sees well-formed traffic between the bad.
    if (this.random() < 0.1) return { kind, bytes: valid, addressed: name === this.documentId };
    // Mostly the payload is mutated and the name left alone, so the frame reaches the document.
    const prefix = name === this.documentId && this.random() < 0.85 ? this.namePrefixLength : 0;
    const bytes = Uint8Array.from([...valid.slice(0, prefix), ...this.mutate(valid.slice(prefix))]);
    return { kind, bytes, addressed: prefix > 0 };
  }

  private pickKind(): FrameKind {
    const entries = Object.entries(this.weights) as [FrameKind, number][];
    let roll = this.random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [kind, weight] of entries) if ((roll -= weight) < 0) return kind;
    return entries[entries.length - 1][0];
  }

  private get namePrefixLength(): number {
    return frame(this.documentId, () => {}).length;
  }

  private valid(kind: Exclude<FrameKind, "garbage">, name: string): Uint8Array {
    switch (kind) {
      case "update":
        return frame(name, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, this.freshUpdate())));
      case "sync":
        return this.random() < 0.5
          ? frame(name, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, Y.encodeStateVector(this.replica))))
          : frame(name, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, this.freshUpdate())));
      case "awareness": {
        this.awareness.setLocalState({ user: { name: "Fuzz", color: "#123456" }, cursor: { anchor: this.bytes(4), head: Math.floor(this.random() * 1e6) } });
        const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]);
        return frame(name, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update)));
      }
      case "auth":
        return frame(name, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, this.token())));
      case "other": {
        // Query awareness (3), stateless (5), close (7), sync reply (4) and types nobody sends.
        const type = [3, 4, 5, 7, 8, 9, 11, 200][Math.floor(this.random() * 8)];
        return frame(name, (e) => (encoding.writeVarUint(e, type), encoding.writeVarString(e, "fuzz"), encoding.writeVarUint8Array(e, this.bytes(8))));
      }
    }
  }

  private readonly recentUpdates: Uint8Array[] = [];

  /**
   * A real change on the replica, encoded as the update a writer would send; mostly one of the last
   * few, so the document grows slowly while its updates are mutated many times over.
   */
  private freshUpdate(): Uint8Array {
    if (this.recentUpdates.length > 0 && this.random() < 0.8) return this.recentUpdates[Math.floor(this.random() * this.recentUpdates.length)];
    const before = Y.encodeStateVector(this.replica);
    const fragment = this.replica.getXmlFragment("default");
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(`fuzz ${Math.floor(this.random() * 1e9)}`)]);
    // Deletes only its own lines, so what other writers type is removed only by mutated frames.
    const own = fragment.toArray().flatMap((node, index) => (node instanceof Y.XmlElement && node.toString().includes("fuzz ") ? [index] : []));
    this.replica.transact(() => {
      if (own.length > 3 && this.random() < 0.3) fragment.delete(own[Math.floor(this.random() * own.length)], 1);
      else fragment.insert(Math.floor(this.random() * (fragment.length + 1)), [paragraph]);
    });
    const update = Y.encodeStateAsUpdate(this.replica, before);
    this.recentUpdates.push(update);
    if (this.recentUpdates.length > 8) this.recentUpdates.shift();
    return update;
  }

  private otherName(): string {
    const names = [crypto.randomUUID(), "", "../../etc/passwd", "x".repeat(300), "\u0000\u0001", "DROP TABLE documents;", "%00%ff"];
    return names[Math.floor(this.random() * names.length)];
  }

  private mutate(valid: Uint8Array): Uint8Array {
    const bytes = Uint8Array.from(valid);
    const at = () => Math.floor(this.random() * bytes.length);
    if (bytes.length === 0) return this.bytes(1 + Math.floor(this.random() * 8));
    switch (Math.floor(this.random() * 5)) {
      case 0:
        for (let i = 0; i < 1 + this.random() * 3; i++) bytes[at()] = Math.floor(this.random() * 256);
        return bytes;
      case 1:
        return bytes.slice(0, at());
      case 2:
        bytes[at()] += this.random() < 0.5 ? 1 : -1;
        return bytes;
      case 3:
        return Uint8Array.from([...bytes.slice(0, at()), ...this.bytes(1 + Math.floor(this.random() * 16)), ...bytes.slice(at())]);
      default:
        // The tail of the frame repeated: lengths and counts no longer match what follows them.
        return Uint8Array.from([...bytes, ...bytes.slice(at())]);
    }
  }

  private bytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => Math.floor(this.random() * 256));
  }
}
