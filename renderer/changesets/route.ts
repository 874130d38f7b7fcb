/**
 * renderer/changesets/route.ts: the changeset review's address: `#/changesets/<changeset id>` (its
 * first file) and `#/changesets/<changeset id>/<file path>` (that file's diff; the path is one
 * URI-encoded segment). Its own module so that the inbox, the workspace editor and the review's
 * components link to a review without importing the view.
 *
 * Guarantee: the id is accepted only as a uuid and the path only as a relative workspace path
 * (isWorkspacePath); anything else is not this view's URL (the router shows home).
 */
import type { ViewAddress } from '../shell/contribution.ts';
import { decodedPath } from '../workspaces/route.ts';

export interface ChangesetParams {
  readonly changesetId: string;
  readonly path: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const changesetAddress: ViewAddress<ChangesetParams> = {
  id: 'changeset',
  route: {
    path: 'changesets',
    parse: ([id, path, ...rest]) => {
      if (id === undefined || !UUID.test(id) || rest.length > 0) return null;
      const decoded = decodedPath(path);
      return decoded === undefined ? null : { changesetId: id, path: decoded };
    },
    format: ({ changesetId, path }) => [changesetId, ...(path ? [encodeURIComponent(path)] : [])],
    examples: [
      { changesetId: '6d1f3c2a-8b4e-4f0a-9c7d-1e2f3a4b5c6d', path: null },
      { changesetId: '6d1f3c2a-8b4e-4f0a-9c7d-1e2f3a4b5c6d', path: 'Objects/customscript_ue (v2).xml' },
    ],
  },
};
