import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

/** How long a WebSocket upgrade takes to open, or why it did not. */
function openSocket(url: string, origin: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { origin } });
    const timer = setTimeout(() => resolve("still connecting after 5 s"), 5_000);
    socket.once("open", () => {
      clearTimeout(timer);
      socket.close();
      resolve("open");
    });
    socket.once("unexpected-response", (_request, response) => resolve(`HTTP ${response.statusCode}`));
    socket.once("error", (error) => resolve(`error: ${error.message}`));
  });
}

// `npm run dev` restarts the server on every change; the browser's hot-reload socket reconnects
// before any page is requested, and (in Chrome) a stuck one holds up the collaboration socket too.
describe("the development server", () => {
  let storage: Storage;
  let server: ServerProcess;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { NODE_ENV: "development" });
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("connects the hot-reload socket before any page was requested, and beside the collaboration socket", async () => {
    const base = server.url.replace("http", "ws");
    expect(await openSocket(`${base}/_next/hmr?id=restart`, server.url)).toBe("open");
    expect(await openSocket(`${base}/collab`, server.url)).toBe("open");
    expect((await fetch(`${server.url}/`, { redirect: "manual" })).status).toBe(307);
    expect(await openSocket(`${base}/_next/hmr?id=after-a-page`, server.url)).toBe("open");
  });
});
