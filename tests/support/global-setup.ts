import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./server.ts";

/** The servers under test run in production mode, which serves the last `next build`. */
export default function setup(): void {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (`npm test` does it for you).");
  }
}
