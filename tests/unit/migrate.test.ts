import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../server/db/database.ts";
import { type MigrationFile, MigrationError, migrate, readMigrations, type SqlConnection } from "../../server/db/migrate.ts";
import { backends, freshStorage, type Storage } from "../support/server.ts";

function migration(name: string, sql: string): MigrationFile {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

describe.each(backends())("the migration runner on %s", (backend) => {
  let storage: Storage | undefined;
  let closeConnection: () => Promise<void>;

  async function connect(): Promise<SqlConnection> {
    if (backend === "embedded") {
      const pglite = new PGlite();
      closeConnection = () => pglite.close();
      return {
        exec: async (sql) => void (await pglite.exec(sql)),
        query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
      };
    }
    storage = await freshStorage(backend);
    const client = new pg.Client({ connectionString: storage.databaseUrl });
    await client.connect();
    closeConnection = () => client.end();
    return {
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    };
  }

  afterEach(async () => {
    await closeConnection?.();
    await storage?.dispose();
    storage = undefined;
  });

  it("applies the project's migrations once and records them exactly as Prisma does", async () => {
    const db = await connect();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    expect(migrations.length).toBeGreaterThan(0);

    expect(await migrate(db, migrations)).toEqual(migrations.map((m) => m.name));
    const recorded = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(recorded.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1]),
    );
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
    expect(await db.query("SELECT * FROM documents")).toEqual([]);

    expect(await migrate(db, migrations)).toEqual([]);
  });

  it("a migration changed after it was applied stops the start", async () => {
    const db = await connect();
    await migrate(db, [migration("001_a", "CREATE TABLE a (id int)")]);
    await expect(migrate(db, [migration("001_a", "CREATE TABLE a (id bigint)")])).rejects.toThrow(/changed after it was applied/);
  });

  it("a failing migration is rolled back and not recorded, and earlier ones stay applied", async () => {
    const db = await connect();
    const good = migration("001_good", "CREATE TABLE good (id int)");
    const bad = migration("002_bad", "CREATE TABLE half (id int); SELECT * FROM no_such_table;");
    await expect(migrate(db, [good, bad])).rejects.toBeInstanceOf(MigrationError);
    const names = await db.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    expect(names.map((row) => row.migration_name)).toEqual(["001_good"]);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name IN ('good', 'half')",
    );
    expect(tables.map((row) => row.table_name)).toEqual(["good"]);
  });

  it("a database with a migration this version does not know refuses to start", async () => {
    const db = await connect();
    await migrate(db, [migration("001_a", "CREATE TABLE a (id int)"), migration("002_b", "CREATE TABLE b (id int)")]);
    await expect(migrate(db, [migration("001_a", "CREATE TABLE a (id int)")])).rejects.toThrow(/does not know/);
  });
});
