import type { Extensions } from '@tiptap/core'
import { TaskItem, TaskList } from '@tiptap/extension-list'
import StarterKit, { type StarterKitOptions } from '@tiptap/starter-kit'

/**
 * The document's nodes and marks, shared by the browser editor and the server's converters so
 * that whatever the editor can hold, the server can export and import.
 *
 * Packages only, no relative imports: the server build (tsc) keeps extensionless specifiers,
 * which Node's ESM loader cannot resolve. Nothing here touches the DOM when imported.
 */
export function contentExtensions(replacing: Pick<Partial<StarterKitOptions>, 'code' | 'codeBlock'> = {}): Extensions {
  return [
    StarterKit.configure({
      // Collaboration ships a Yjs-aware undo that only reverts this writer's changes.
      undoRedo: false,
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
      // The history viewer brings code and code blocks of its own that accept its diff marks.
      ...replacing,
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
  ]
}
