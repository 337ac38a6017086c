import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type BackendName = "embedded" | "postgres";

/**
 * Every integration test runs on embedded PGlite, and on Postgres when DATABASE_URL is set. In CI a
 * missing DATABASE_URL is an error, never a quiet skip.
 */
export function backends(): BackendName[] {
  if (process.env.DATABASE_URL) return ["embedded", "postgres"];
  if (process.env.CI === "true") throw new Error("CI=true but DATABASE_URL is not set: the Postgres tests must run in CI.");
  return ["embedded"];
}

/** A place to keep one test's documents: a fresh data directory, and on Postgres a fresh database. */
export interface Storage {
  backend: BackendName;
  dataDir: string;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

export async function freshStorage(backend: BackendName): Promise<Storage> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "inkwell-test-"));
  if (backend === "embedded") {
    return { backend, dataDir, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `inkwell_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend,
    dataDir,
    databaseUrl: url.toString(),
    dispose: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The compiled server `npm run build` writes and `npm start` runs. */
export const SERVER_ENTRY = "dist/server/index.js";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  /** SIGTERM, and wait for the process to exit; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>;
}

/** Starts the real server as `npm start` does (the production build) as a child process on port 0. */
export async function startServer(storage: Storage, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")) || !existsSync(path.join(ROOT, SERVER_ENTRY))) {
    throw new Error("No production build to serve: run `npm run build` first (`npm test` does it for you).");
  }
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: storage.dataDir,
      DATABASE_URL: storage.databaseUrl ?? "",
      LOG_LEVEL: "info",
      // As if behind one proxy: each simulated person's X-Forwarded-For is their address.
      TRUST_PROXY: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === "listening") resolve(entry.url);
        } catch {
          // Next prints plain text lines too.
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${logs.join("\n")}`)));
    setTimeout(() => reject(new Error(`server did not start within 60 s:\n${logs.join("\n")}`)), 60_000).unref();
  });
  return {
    url,
    child,
    logs,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill9: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export interface DocumentInfo {
  id: string;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}
