// Placeholder until the formats work lands: the editor's content schema without a DOM.
import { getSchema } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";

export const extensions = [
  StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true, defaultProtocol: "https" } }),
  TaskList,
  TaskItem.configure({ nested: true }),
];

export const schema = getSchema(extensions);
