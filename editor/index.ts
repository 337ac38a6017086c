'use client'

export { InkwellEditor } from './InkwellEditor'
export type { CollaborationToken, DocumentRole, EditorExit, InkwellEditorProps, InkwellUser, SaveStatus } from './types'
