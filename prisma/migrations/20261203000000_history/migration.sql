-- Every update in the log now says who sent it (NULL: written by the server itself, or before this
-- column existed), so the history can say who changed what.
ALTER TABLE "document_updates" ADD COLUMN "author_id" TEXT;

-- The history: compaction keeps what it folds instead of deleting it. One row per author per
-- compaction window (seq), holding the merge of that author's updates in the window; and every so
-- often a checkpoint, the whole state at the end of a window. The state at the end of window S is the
-- latest checkpoint at or before S plus the chunks after it up to S, applied in order.
CREATE TABLE "document_history" (
    "id" BIGSERIAL NOT NULL,
    "document_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "author_id" TEXT,
    "is_checkpoint" BOOLEAN NOT NULL DEFAULT false,
    "data" BYTEA NOT NULL,

    CONSTRAINT "document_history_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "document_history_document_id_seq_idx" ON "document_history"("document_id", "seq");

ALTER TABLE "document_history" ADD CONSTRAINT "document_history_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Versions: moments people can name, list, compare and restore. "auto" ones are taken by the
-- server (quiet, last writer leaving, long editing), "named" ones by a person, "before-restore" and
-- "before-import" just before content is replaced. author_ids: who changed something since the
-- version before.
CREATE TABLE "document_versions" (
    "id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "author_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_versions_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "document_versions_document_id_created_at_idx" ON "document_versions"("document_id", "created_at" DESC);

ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
