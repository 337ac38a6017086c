import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { TargetInfo } from "./client-worker.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export type TargetName = "yjs" | "hocuspocus" | "ours-postgres" | "ours-embedded" | "ours-split" | "ours-no-history";

export const TARGET_LABELS: Record<TargetName, string> = {
  yjs: "plain Yjs server (y-websocket 2.1.0 bin/utils, in memory)",
  hocuspocus: "bare Hocuspocus 4.7 (in memory)",
  "ours-postgres": "Inkwell on Postgres (every update committed before its ack)",
  "ours-embedded": "Inkwell on embedded Postgres (PGlite)",
  "ours-no-history": "Inkwell on Postgres with KEEP_HISTORY=false (compaction deletes what it folds, as before history), only to measure what history costs",
  "ours-split": "Inkwell on Postgres with the collaboration socket in a process of its own (SERVICES=collaboration; pages and API from a SERVICES=web process, not measured)",
};

/** One server under test, in its own process, on a port of its own. */
export class Target {
  private child: ChildProcess | null = null;
  /** For ours-split: the web-only process that serves the API; `child` is the collaboration one. */
  private web: ChildProcess | null = null;
  private webPort = 0;
  private dataDir: string | null = null;
  private database: { name: string; url: string } | null = null;
  private account: { cookie: string } | null = null;
  port = 0;
  /** When the server last started accepting connections (Date.now(), comparable across processes). */
  readyAt = 0;

  constructor(readonly name: TargetName) {}

  get pid(): number {
    return this.child!.pid!;
  }

  get isOurs(): boolean {
    return this.name.startsWith("ours");
  }

  get databaseUrl(): string | undefined {
    return this.database?.url;
  }

  info(): TargetInfo {
    const base = `ws://127.0.0.1:${this.port}`;
    if (this.name === "yjs") return { protocol: "y-websocket", url: base };
    if (this.name === "hocuspocus") return { protocol: "hocuspocus", url: base };
    return { protocol: "hocuspocus", url: `${base}/collab`, auth: { baseUrl: this.apiUrl, cookie: this.account!.cookie } };
  }

  /** Where the HTTP API (sign-up, documents, tokens) is served. */
  private get apiUrl(): string {
    return `http://127.0.0.1:${this.webPort || this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    if (this.name === "ours-split" && !this.webPort) this.webPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(this.port), HOST: "127.0.0.1" };
    let args: string[];
    if (this.name === "yjs") args = [path.join(ROOT, "node_modules/y-websocket/bin/server.cjs")];
    else if (this.name === "hocuspocus") args = ["--import", "tsx", path.join(ROOT, "bench/servers/hocuspocus.ts")];
    else {
      // BENCH_CPU_PROFILE=DIR writes a V8 CPU profile of our server there when it stops;
      // BENCH_NODE_FLAGS passes Node/V8 flags to it, to try a setting against the same baselines.
      const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
      // The compiled server, as `npm start` runs it.
      args = [...profile, ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), path.join(ROOT, "dist/server/index.js")];
      if (this.name === "ours-embedded") this.dataDir ??= await mkdtemp(path.join(tmpdir(), "inkwell-bench-"));
      else this.database ??= await createDatabase();
      Object.assign(env, {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        // As `npm start` sets it.
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
        DATABASE_URL: this.database?.url ?? "",
        ...(this.dataDir ? { DATA_DIR: this.dataDir } : {}),
        // A benchmark opens thousands of connections from one address, many to one document.
        MAX_CONNECTIONS_PER_MINUTE: "100000000",
        MAX_CLIENTS_PER_DOCUMENT: "100000",
        // All of them as one account, which makes every benchmark document too.
        MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: "100000",
        MAX_DOCUMENTS_PER_MINUTE: "100000",
      });
      if (this.name === "ours-no-history") env.KEEP_HISTORY = "false";
      if (this.name === "ours-split") {
        env.SERVICES = "collaboration";
        this.web ??= await spawnReady("ours-split web", [path.join(ROOT, "dist/server/index.js")], { ...env, SERVICES: "web", PORT: String(this.webPort) }, this.webPort);
      }
    }
    this.child = await spawnReady(this.name, args, env, this.port);
    this.readyAt = Date.now();
    if (this.isOurs) await waitForHealth(this.port);
    if (this.isOurs && !this.account) this.account = await signUp(this.apiUrl);
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await stopChild(this.web);
    this.web = null;
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
    if (this.database) await dropDatabase(this.database.name);
  }

  /** Document names to use: any string for the baselines, documents created through the API for ours. */
  async documents(count: number): Promise<string[]> {
    if (!this.isOurs) return Array.from({ length: count }, (_, i) => `bench-${Date.now()}-${i}`);
    const ids: string[] = [];
    const createOne = async (i: number) => {
      const response = await fetch(`${this.apiUrl}/api/documents`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: this.account!.cookie, origin: this.apiUrl },
        body: JSON.stringify({ title: `Bench ${i}` }),
      });
      if (!response.ok) throw new Error(`creating a document on ${this.name}: ${response.status} ${await response.text()}`);
      ids[i] = ((await response.json()) as { id: string }).id;
    };
    for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => createOne(i + j)));
    return ids;
  }

  /** Resident memory and CPU time (user + system, ms) of the server process, from /proc. */
  usage(): { rssBytes: number; cpuMs: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const fields = readFileSync(`/proc/${this.pid}/stat`, "utf8").split(") ")[1].split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: rssKb * 1024, cpuMs: (ticks * 1000) / CLOCK_TICKS };
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }
}

const CLOCK_TICKS = 100;

async function spawnReady(name: string, args: string[], env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", process.env.BENCH_LOG_LEVEL ? "inherit" : "ignore", "inherit"] });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`${name} exited with ${code} while starting`))));
  await Promise.race([waitForPort(port, 60_000), exited]);
  return child;
}

async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server on ${port} never became healthy`);
}

async function signUp(baseUrl: string): Promise<{ cookie: string }> {
  const email = `bench-${Date.now()}@example.com`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password: "benchmark password", name: "Bench" }),
  });
  if (!response.ok) throw new Error(`bench sign-up failed: ${response.status} ${await response.text()}`);
  // Sign-up gives no session; signing in does.
  const signedIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password: "benchmark password" }),
  });
  if (!signedIn.ok) throw new Error(`bench sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
  return { cookie: signedIn.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ") };
}

const adminUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("The Postgres target needs DATABASE_URL (an account that may create databases).");
  return url;
};

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A database of its own for a scenario that works below the server (the history scenario). */
export const createBenchDatabase = () => createDatabase();
export const dropBenchDatabase = (name: string) => dropDatabase(name);

async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `inkwell_bench_${process.pid}_${Date.now()}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** WAL bytes written so far by the whole cluster: the difference over a run is what it cost the disk. */
export async function walPosition(): Promise<bigint> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ bytes: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes");
    return BigInt(rows[0].bytes);
  });
}
