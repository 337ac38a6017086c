import { inflateRawSync } from "node:zlib";

export type ZipProblem =
  | { kind: "not-zip" }
  | { kind: "too-large"; uncompressedBytes: number }
  | { kind: "damaged"; detail: string };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const ZIP64_MARK = 0xffffffff;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_END_RECORD_SEARCH = 22 + 0xffff;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

function centralDirectory(bytes: Uint8Array): Entry[] | ZipProblem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22 || view.getUint32(0, true) !== LOCAL_FILE_HEADER) return { kind: "not-zip" };
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - MAX_END_RECORD_SEARCH); at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return { kind: "damaged", detail: "no end of central directory" };
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  // A Word document is far below 4 GB and 65,535 parts; ZIP64 here only means a crafted file.
  if (count === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK) return { kind: "damaged", detail: "ZIP64 archive" };
  if (offset + size > end) return { kind: "damaged", detail: "central directory outside the file" };
  const entries: Entry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL_DIRECTORY_ENTRY) return { kind: "damaged", detail: `central directory entry ${index}` };
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const entry: Entry = {
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.compressedSize === ZIP64_MARK || entry.uncompressedSize === ZIP64_MARK) return { kind: "damaged", detail: "ZIP64 entry" };
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Checks a zip archive before anything unzips it. First the sizes its central directory declares:
 * a zip bomb that declares what it holds is refused without inflating a byte.
 * Then, since the central directory can lie, each part is inflated with its declared size as a hard
 * ceiling (zlib stops at `maxOutputLength`), so the whole archive can never inflate past `limit`.
 * Returns null when the archive is sound and within the limit.
 */
export function checkZip(bytes: Uint8Array, limit: number): ZipProblem | null {
  const entries = centralDirectory(bytes);
  if (!Array.isArray(entries)) return entries;
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limit) return { kind: "too-large", uncompressedBytes: declared };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_FILE_HEADER) return { kind: "damaged", detail: `local header of ${entry.name}` };
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) return { kind: "damaged", detail: `${entry.name} is cut short` };
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) return { kind: "damaged", detail: `${entry.name} sizes disagree` };
      continue;
    }
    if (entry.method !== 8) return { kind: "damaged", detail: `${entry.name} uses compression method ${entry.method}` };
    try {
      // One byte of headroom: a part that inflates past what it declared fails here, bounded.
      const inflated = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
      if (inflated.length !== entry.uncompressedSize) return { kind: "damaged", detail: `${entry.name} declares ${entry.uncompressedSize} bytes, holds ${inflated.length}` };
    } catch (error) {
      return { kind: "damaged", detail: `${entry.name}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return null;
}
