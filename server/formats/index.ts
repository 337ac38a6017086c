export { contentTypeOf, EXPORT_FORMATS, type ExportFormat, type Exported, exportDocument, formatOf } from "./export.ts";
export { IMPORT_ACCEPT, ImportError, type Imported, type ImportOptions, importDocument, MAX_DOCX_UNCOMPRESSED_BYTES } from "./import.ts";
export { safeHref, withSafeLinks } from "./links.ts";
export { extensions, schema } from "./schema.ts";
