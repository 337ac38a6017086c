import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.ts";
import { PROJECT_ROOT } from "../project-root.ts";
import { migrate, readMigrations, type SqlConnection } from "./migrate.ts";

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma/migrations");

export interface Database {
  prisma: PrismaClient;
  kind: "postgres" | "embedded";
  /** Names of the migrations this start applied. */
  migrated: string[];
  /** Resolves if the database answers a query now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Real Postgres when set; otherwise embedded Postgres (PGlite) in dataDir. */
  databaseUrl?: string;
  dataDir: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, migrations)
    : openEmbedded(options.dataDir, migrations);
}

async function openPostgres(url: string, migrations: Awaited<ReturnType<typeof readMigrations>>): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its server must not take the process down with it.
  pool.on("error", (error) => console.error("postgres pool client error", error));
  let migrated: string[];
  const client = await pool.connect().catch((error) => {
    void pool.end();
    throw new Error(`Cannot connect to Postgres at ${redact(url)}: ${error.message}`, { cause: error });
  });
  try {
    const connection: SqlConnection = {
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    };
    migrated = await migrate(connection, migrations);
  } finally {
    client.release();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: "postgres",
    migrated,
    ping: async () => void (await prisma.$queryRaw`SELECT 1`),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openEmbedded(dataDir: string, migrations: Awaited<ReturnType<typeof readMigrations>>): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  const pglite = new PGlite(path.join(dataDir, "pglite"));
  await pglite.waitReady;
  const connection: SqlConnection = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
  const migrated = await migrate(connection, migrations);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "embedded",
    migrated,
    ping: async () => void (await prisma.$queryRaw`SELECT 1`),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await releaseLock();
    },
  };
}

/**
 * PGlite is a single-process database: a second server on the same DATA_DIR would corrupt it.
 * A lock file naming a live process refuses the start; one left by a killed process is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, "inkwell.lock");
  const holder = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`DATA_DIR ${dataDir} is in use by process ${holder}. Stop it, or set DATA_DIR or DATABASE_URL.`);
  }
  await writeFile(lockFile, String(process.pid));
  return async () => {
    await writeFile(lockFile, "");
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@");
}
