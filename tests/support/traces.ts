import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { ROOT } from "./server.ts";

/** Real editing traces (CC BY 4.0, josephg/editing-traces), read in place from ../shared. */
export const TRACES_DIR = path.join(ROOT, "..", "shared", "data", "editing-traces", "sequential_traces");

export type Patch = [position: number, deleteCount: number, insert: string];

export interface Trace {
  name: string;
  patches: Patch[];
  endContent: string;
}

/**
 * The named trace, cut to its first `limit` patches (endContent is recomputed for the cut). Where
 * ../shared is absent (a user's clone) a seeded synthetic trace stands in; in CI its absence is an error.
 */
export function loadTrace(name: string, limit = Number.POSITIVE_INFINITY): Trace {
  const file = path.join(TRACES_DIR, `${name}.json.gz`);
  let patches: Patch[];
  if (existsSync(file)) {
    const trace = JSON.parse(gunzipSync(readFileSync(file)).toString()) as { txns: { patches: Patch[] }[] };
    patches = trace.txns.flatMap((txn) => txn.patches).slice(0, limit);
  } else if (process.env.CI === "true") {
    throw new Error(`Editing trace ${file} is missing; CI must have ../shared beside the project.`);
  } else {
    name = `synthetic (seed 42, ${name} not found)`;
    patches = syntheticPatches(Math.min(limit, 5_000), 42);
  }
  let text = "";
  for (const [position, deleteCount, insert] of patches) {
    text = text.slice(0, position) + insert + text.slice(position + deleteCount);
  }
  return { name, patches, endContent: text };
}

function syntheticPatches(count: number, seed: number): Patch[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const patches: Patch[] = [];
  let length = 0;
  for (let i = 0; i < count; i++) {
    const position = Math.floor(random() * (length + 1));
    if (length > 0 && random() < 0.2) {
      const deleteCount = Math.min(1 + Math.floor(random() * 3), length - position);
      patches.push([position, deleteCount, ""]);
      length -= deleteCount;
    } else {
      patches.push([position, 0, "abcdefghij klmnop"[Math.floor(random() * 17)]]);
      length += 1;
    }
  }
  return patches;
}
