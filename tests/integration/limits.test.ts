import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { signUp } from "../support/accounts.ts";
import { connectClient, type TestClient } from "../support/client.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

/** Opens a collaboration socket and reports how it ended within a moment: "open" or its close code. */
function connectionOutcome(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace("http", "ws")}/collab`, { headers });
    let opened = false;
    socket.once("open", () => {
      opened = true;
      setTimeout(() => {
        resolve("open");
        socket.close();
      }, 150);
    });
    socket.once("close", (code) => resolve(opened ? String(code) : `closed ${code} before open`));
    socket.once("error", (error) => resolve(`error: ${error.message}`));
  });
}

describe("limits that keep one client from taking the server", () => {
  let storage: Storage;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    server = undefined;
    await storage?.dispose();
  });

  it("a document at MAX_CLIENTS_PER_DOCUMENT refuses the next writer with a reason, and takes one once someone leaves", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_CLIENTS_PER_DOCUMENT: "2" });
    const owner = await signUp(server.url, "Crowded");
    const { id } = await owner.createDocument("Crowded");
    const join = () => {
      const client = connectClient(server!.url, id, () => owner.collabToken(id));
      clients.push(client);
      return client;
    };
    const [first, second] = [join(), join()];
    await Promise.all([first.synced(), second.synced()]);
    expect(await join().refused()).toBe("document-full");

    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await join().synced();
  });

  it("connections over MAX_CONNECTIONS_PER_MINUTE from one address are closed with 4429, and a forged X-Forwarded-For does not help", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_CONNECTIONS_PER_MINUTE: "5", TRUST_PROXY: "0" });
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await connectionOutcome(server.url));
    expect(outcomes).toEqual(Array(5).fill("open"));
    expect(await connectionOutcome(server.url)).toBe("4429");
    expect(await connectionOutcome(server.url, { "x-forwarded-for": "203.0.113.7" })).toBe("4429");
  });

  it("behind a trusted proxy each client address has its own allowance", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_CONNECTIONS_PER_MINUTE: "3", TRUST_PROXY: "1" });
    const from = (address: string) => connectionOutcome(server!.url, { "x-forwarded-for": address });
    expect([await from("198.51.100.1"), await from("198.51.100.1"), await from("198.51.100.1")]).toEqual(["open", "open", "open"]);
    expect(await from("198.51.100.1")).toBe("4429");
    expect(await from("198.51.100.2")).toBe("open");
  });
});
