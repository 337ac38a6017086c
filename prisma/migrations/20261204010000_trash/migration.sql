-- The trash: a deleted document keeps its row (and so its history, versions and sharing) until it
-- is restored or purged; deleted_at NULL is a live document. The index serves the purge's
-- "trashed before the cutoff" and the owner's trash listing.
ALTER TABLE "documents" ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
ALTER TABLE "documents" ADD COLUMN "deleted_by_id" TEXT;
CREATE INDEX "documents_deleted_at_idx" ON "documents" ("deleted_at");
