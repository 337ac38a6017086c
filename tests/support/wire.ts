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
