import type { Hocuspocus } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";

const SYNC = 0;
const STEP_1 = 0;
const STEP_2 = 1;
/** More than a page opens at once; a socket sending more such requests is not a browser. */
const MAX_HELD = 8;
/** Long enough for a document to leave over a local network, short enough not to hold up its load. */
const SEND_WAIT_MS = 20;

/**
 * Lets a client that opens a document nobody has open get it straight from the stored bytes, while
 * the server is still building its own copy from them.
 *
 * Without this, a fresh client waits for the server to read the document, apply it (~15 ms for a
 * 100k-character one), encode it again, and only then does the client start applying it. Here the
 * client's first sync request (sync step 1 with an empty state vector: it has nothing yet) is held
 * back from Hocuspocus until the document is loaded. If this socket's request is what triggered the
 * load, `answerFromStorage` sends the stored state as the client's sync step 2 at once, and
 * `release` then passes the request on with the state vector of what was sent, so Hocuspocus answers
 * only with what the stored state lacked. In every other case (someone else loaded it first, the log
 * had rows the snapshot lacks) the request is passed on unchanged, once the connection is set up.
 *
 * Nothing is sent before the load, and Hocuspocus loads a document for a connection only after its
 * authentication passed. One per socket.
 */
export class FirstSync {
  /** Routing key (the document name) → the held frame. */
  private readonly held = new Map<string, Uint8Array>();

  constructor(
    private readonly socket: WebSocket,
    private readonly hocuspocus: Hocuspocus,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {}

  /** True if the frame is held back (the caller must not pass it on itself). */
  hold(frame: Uint8Array): boolean {
    const request = readEmptySyncRequest(frame);
    if (request === null) return false;
    // A session-aware provider's key is "name\0session", and one socket may hold several for one
    // document; those take the ordinary path, which keeps this to one request per document.
    if (request.includes("\0") || this.held.has(request)) return false;
    // Held frames bypass Hocuspocus's limit on documents pending authentication, so a socket gets
    // only a few; past that its requests take the ordinary path, where that limit applies.
    if (this.held.size >= MAX_HELD) return false;
    // Already open or being opened for someone: the ordinary path is as fast.
    if (this.hocuspocus.documents.has(request) || this.hocuspocus.loadingDocuments.has(request)) return false;
    this.held.set(request, frame);
    return true;
  }

  /**
   * Sends the stored state (a v1 update, made only if needed; null if it cannot be had cheaply) as
   * the answer to this socket's held request for the document; false if nothing was sent. Resolves
   * once the frame has left, or after SEND_WAIT_MS for a slow client: the kernel takes only part of a
   * large frame at once, and the rest would wait for the event loop, which the load is about to block.
   */
  async answerFromStorage(documentName: string, state: () => Uint8Array | null): Promise<boolean> {
    if (!this.held.has(documentName) || this.socket.readyState !== this.socket.OPEN) return false;
    const update = state();
    if (update === null) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SEND_WAIT_MS);
      this.socket.send(frame(documentName, STEP_2, update), () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return true;
  }

  /** Drops the held request: the document failed to load, and Hocuspocus refused the connection. */
  discard(documentName: string): void {
    this.held.delete(documentName);
  }

  /**
   * Passes the held request on: if the client was answered from storage, as if it had asked with
   * the state vector of what it was sent (`answeredUpTo`), otherwise unchanged.
   */
  release(documentName: string, answeredUpTo?: Uint8Array): void {
    const original = this.held.get(documentName);
    if (!original) return;
    this.held.delete(documentName);
    this.deliver(answeredUpTo ? frame(documentName, STEP_1, answeredUpTo) : original);
  }
}

/** What the transport puts in every connection's Hocuspocus context, for the load hook to find. */
export interface FirstSyncContext {
  firstSync?: FirstSync;
}

function frame(documentName: string, step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** The routing key of a sync step 1 from a client holding nothing yet; null for any other frame. */
function readEmptySyncRequest(data: Uint8Array): string | null {
  try {
    const decoder = decoding.createDecoder(data);
    // The key is skipped undecoded: most frames are updates, and this runs for every one.
    const keyStart = decoder.pos;
    const keyLength = decoding.readVarUint(decoder);
    decoder.pos += keyLength;
    if (decoding.readVarUint(decoder) !== SYNC || decoding.readVarUint(decoder) !== STEP_1) return null;
    const stateVector = decoding.readVarUint8Array(decoder);
    // An empty document's state vector is a single zero: no clients.
    if (stateVector.length !== 1 || stateVector[0] !== 0) return null;
    decoder.pos = keyStart;
    return decoding.readVarString(decoder);
  } catch {
    // Malformed frames are Hocuspocus's to refuse.
    return null;
  }
}
