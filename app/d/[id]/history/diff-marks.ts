import { Mark, mergeAttributes, type Extensions } from '@tiptap/core'
// Hoisted dependencies of @tiptap/starter-kit (same 3.31.3), imported to extend them here.
import { Code } from '@tiptap/extension-code'
import { CodeBlock } from '@tiptap/extension-code-block'

/** Who an author id stands for, as the diff route resolves it. */
export interface DiffAuthor {
  id: string
  name: string
  color: string
}

export type DiffMarkName = 'inserted' | 'deleted' | 'formatted'

export const DIFF_MARK_NAMES: readonly DiffMarkName[] = ['inserted', 'deleted', 'formatted']

const VERB: Record<DiffMarkName, string> = {
  inserted: 'Added',
  deleted: 'Deleted',
  formatted: 'Formatting changed',
}

/** "Added by Bob Smith"; an author the server could not name (an old client id) stays anonymous. */
export function changeTitle(kind: DiffMarkName, author: DiffAuthor | undefined): string {
  return author ? `${VERB[kind]} by ${author.name}` : `${VERB[kind]} by someone unknown`
}

function diffMark(kind: DiffMarkName, authors: ReadonlyMap<string, DiffAuthor>) {
  return Mark.create({
    name: kind,
    // Shown next to bold, links and the rest; a run carries at most one of the three.
    excludes: DIFF_MARK_NAMES.join(' '),
    inclusive: false,
    addAttributes() {
      // Rendered as data-author by renderHTML below, next to the title it names.
      return { author: { default: null, parseHTML: element => element.getAttribute('data-author'), renderHTML: () => ({}) } }
    },
    parseHTML() {
      return [{ tag: `span[data-diff="${kind}"]` }]
    },
    renderHTML({ mark, HTMLAttributes }) {
      const authorId = typeof mark.attrs.author === 'string' ? mark.attrs.author : null
      const author = authorId ? authors.get(authorId) : undefined
      const title = changeTitle(kind, author)
      return [
        kind === 'deleted' ? 'del' : kind === 'inserted' ? 'ins' : 'span',
        mergeAttributes(HTMLAttributes, {
          'data-diff': kind,
          'data-author': authorId ?? '',
          class: `diff-mark diff-mark--${kind}`,
          title,
          // The author's colour; CSS draws it as the underline (inserted, formatted) or strike line (deleted).
          ...(author ? { style: `--diff-author-color: ${author.color}` } : {}),
        }),
        0,
      ]
    },
  })
}

/**
 * The three diff marks, plus code and code blocks made to accept them: in the editor a code block
 * allows no marks and inline code excludes all others, so a changed line of code could not be marked.
 * `authors` gives the marks their titles and colours; a new comparison builds new extensions.
 * Configure the content extensions with `code: false, codeBlock: false` next to these.
 */
export function diffExtensions(authors: readonly DiffAuthor[]): Extensions {
  const byId = new Map(authors.map(author => [author.id, author]))
  return [
    ...DIFF_MARK_NAMES.map(kind => diffMark(kind, byId)),
    CodeBlock.extend({ marks: DIFF_MARK_NAMES.join(' ') }),
    Code.extend({ excludes: 'bold italic strike underline link code' }),
  ]
}
