-- Full-text search over titles and content. content_text is the document's plain text as of its
-- last compaction (NULL: not indexed yet; the start-up backfill fills it in). The vector is a
-- generated column, so a rename re-indexes the title with no code of ours. 'english' (stemming:
-- "collaborate" finds "collaboration") exists in PGlite 0.4.3 as in Postgres, so both agree.
-- Title words weigh A, content words B: ts_rank ranks a title match 2.5 times higher.
ALTER TABLE "documents" ADD COLUMN "content_text" TEXT;
ALTER TABLE "documents" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, "title"), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce("content_text", '')), 'B')
) STORED;
CREATE INDEX "documents_search_vector_idx" ON "documents" USING GIN ("search_vector");
