import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { asUser, signUp } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

/** The machine's Postgres cluster, as pg_ctlcluster names it ("15 main"). */
function cluster(): string[] {
  const first = execFileSync("pg_lsclusters", ["--no-header"], { encoding: "utf8" }).trim().split("\n")[0];
  return first.split(/\s+/).slice(0, 2);
}

const pgctl = (action: "stop" | "start") =>
  execFileSync("pg_ctlcluster", [...cluster(), action, ...(action === "stop" ? ["-m", "immediate"] : [])], { stdio: "pipe" });

describe.runIf(backends().includes("postgres"))("when Postgres goes away and comes back", () => {
  let storage: Storage | undefined;
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
    await storage?.dispose();
  });

  it("the server stays up, acknowledges nothing it could not commit, and saves everything within seconds of its return", async () => {
    storage = await freshStorage("postgres");
    const server = await startServer(storage);
    servers.push(server);
    const owner = await signUp(server.url, "Outage");
    const { id } = await owner.createDocument("Outage");
    const connect = (url: string) => {
      const client = connectClient(url, id, () => asUser(url, owner).collabToken(id));
      clients.push(client);
      return client;
    };
    const typist = connect(server.url);
    const watcher = connect(server.url);
    await Promise.all([typist.synced(), watcher.synced()]);
    typist.type("before the outage");
    await typist.saved();

    let returned: number;
    try {
      pgctl("stop");
      for (let i = 0; i < 10; i++) typist.type(`during the outage ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // None of the ten is acknowledged. (The other writer may already see the first: changes are
      // broadcast before their commit finishes; only the author's acknowledgement waits for it.)
      expect(typist.provider.unsyncedChanges).toBe(10);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      expect(server.child.exitCode).toBeNull();
    } finally {
      pgctl("start");
      returned = performance.now();
    }

    await typist.saved();
    const savedAfterMs = performance.now() - returned;
    await eventually(() => watcher.text().includes("during the outage 9"), "the other writer receives what was held");
    expect(savedAfterMs).toBeLessThan(10_000);
    console.log(`postgres outage: 10 updates typed while Postgres was down, none acknowledged during the outage, all saved ${savedAfterMs.toFixed(0)} ms after it returned`);

    expect(await server.stop()).toBe(0);
    const restarted = await startServer(storage);
    servers.push(restarted);
    const reader = connect(restarted.url);
    await reader.synced();
    expect(reader.text().split("\n")).toEqual(["before the outage", ...Array.from({ length: 10 }, (_, i) => `during the outage ${i}`)]);
  });
});
