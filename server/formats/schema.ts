import { getSchema } from "@tiptap/core";
import { contentExtensions } from "../../editor/content-extensions.ts";

/** The editor's own nodes and marks (editor/content-extensions.ts), so exports hold what the editor holds. */
export const extensions = contentExtensions();

export const schema = getSchema(extensions);
