/**
 * What the import file picker offers (its `accept` attribute): the file extensions and content
 * types the server's importer reads. server/formats keeps its own copy (it imports nothing from
 * app/); tests/unit/formats.test.ts checks that the two agree.
 */
export const IMPORT_ACCEPT =
  '.md,.markdown,.html,.htm,.txt,.json,.docx,text/markdown,text/html,text/plain,application/json,application/vnd.openxmlformats-officedocument.wordprocessingml.document'
