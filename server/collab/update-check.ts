import * as Y from "yjs";

/**
 * Why an incoming Yjs update must not be applied, or null when it integrates cleanly.
 *
 * Yjs keeps an update whose dependencies are missing as "pending structs" instead of failing, and
 * some forged references make `applyUpdate` throw halfway through. Either one, once in the update
 * log, would poison every later load of the document. This replays Yjs's own integration order
 * (`integrateStructs`) against the document's state vector without touching the document, which
 * gives the verdict of applying to a scratch copy at a fraction of its cost: no copy of a large
 * document per keystroke.
 */
export function checkUpdate(update: Uint8Array, document: Y.Doc): string | null {
  return inspectUpdate(update, document).problem;
}

export interface Inspection {
  /** Why the update must not be applied, or null. */
  problem: string | null;
  /** The client ids the update adds content under that the document does not have yet. */
  writers: number[];
}

/** checkUpdate's verdict, and the client ids the update writes under, from one decoding. */
export function inspectUpdate(update: Uint8Array, document: Y.Doc): Inspection {
  const problem = (text: string): Inspection => ({ problem: text, writers: [] });
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return problem("undecodable");
  }

  // What is known per client once the update's structs are in: starts at the document's state.
  const known = new Map<number, number>();
  const clockOf = (client: number) => known.get(client) ?? Y.getState(document.store, client);
  const queues = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>();
  for (const struct of decoded.structs) {
    const queue = queues.get(struct.id.client);
    if (queue) queue.push(struct);
    else queues.set(struct.id.client, [struct]);
  }
  for (const queue of queues.values()) {
    for (let i = 1; i < queue.length; i++) if (queue[i].id.clock < queue[i - 1].id.clock) return problem("structs out of order");
    queue.reverse(); // popped from the end, in clock order
  }

  // Structs of one client can wait for another client's structs in the same update, so take every
  // client's next struct that can go in, until none can.
  let progress = true;
  while (progress) {
    progress = false;
    for (const [client, queue] of queues) {
      while (queue.length > 0) {
        const struct = queue[queue.length - 1];
        // A skip marks a gap: it adds nothing, and the next struct must then be known to start early enough.
        if (struct instanceof Y.Skip) {
          queue.pop();
          continue;
        }
        if (struct.id.clock > clockOf(client) || !dependenciesKnown(struct, clockOf)) break;
        queue.pop();
        known.set(client, Math.max(clockOf(client), struct.id.clock + struct.length));
        progress = true;
      }
    }
  }
  for (const queue of queues.values()) if (queue.length > 0) return problem("missing dependencies");

  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) if (range.clock + range.len > clockOf(client)) return problem("deletes unknown content");
  }
  const writers: number[] = [];
  for (const [client, clock] of known) if (clock > Y.getState(document.store, client)) writers.push(client);
  return { problem: null, writers };
}

/** Origins and a parent item, when given, must already exist: Yjs looks them up while integrating. */
function dependenciesKnown(struct: Y.Item | Y.GC, clockOf: (client: number) => number): boolean {
  if (!(struct instanceof Y.Item)) return true;
  const parent = struct.parent instanceof Y.ID ? struct.parent : null;
  for (const id of [struct.origin, struct.rightOrigin, parent]) {
    if (id && id.clock >= clockOf(id.client)) return false;
  }
  return true;
}
