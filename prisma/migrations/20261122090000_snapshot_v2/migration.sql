-- AlterTable
ALTER TABLE "documents" ADD COLUMN "snapshot_encoding" SMALLINT NOT NULL DEFAULT 1;
