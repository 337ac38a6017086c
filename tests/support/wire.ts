import * as encoding from "lib0/encoding";

/** A raw Hocuspocus frame for a document: its name, then whatever `write` encodes. */
export function frame(documentName: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** The frame that authenticates a raw socket for a document (message 2, token sub-type 0). */
export function authFrame(documentName: string, token: string): Uint8Array {
  return frame(documentName, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, token)));
}

/** One sample of a metric from Prometheus's text format (0 when absent). */
export function metricSample(text: string, name: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

/** One entry of an awareness update as a script writes it: any client id, any clock, any state. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** A raw awareness frame (message 1) publishing exactly these entries. */
export function awarenessFrame(documentId: string, entries: AwarenessEntry[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  return frame(documentId, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, encoding.toUint8Array(update))));
}
