/**
 * renderer/workspaces/FileIcon.tsx: a file's type as a small badge (JS, TS, <>, {}, SQL, MD, TXT) by
 * its extension (file-tree.ts fileTypeOf), in the tree, Quick open and the search results. Decorative:
 * hidden from assistive technology, the file's name says the same.
 */
import { fileTypeOf, type FileType } from './file-tree.ts';

const ICONS: Readonly<Record<FileType, string>> = {
  javascript: 'JS',
  typescript: 'TS',
  xml: '<>',
  json: '{}',
  sql: 'SQL',
  markdown: 'MD',
  text: 'TXT',
};

export function FileIcon(props: { readonly path: string }) {
  const type = fileTypeOf(props.path);
  return (
    <span className={`ws-icon ws-icon-${type}`} aria-hidden="true">
      {ICONS[type]}
    </span>
  );
}
