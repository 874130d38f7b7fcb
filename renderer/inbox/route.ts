/**
 * renderer/inbox/route.ts: the inbox's address, `#/inbox`. Its own module so that the inbox's
 * components and other views can link to it without importing the view (renderer/inbox/view.tsx).
 */
import type { NoParams, ViewAddress } from '../shell/contribution.ts';

export const inboxAddress: ViewAddress<NoParams> = {
  id: 'inbox',
  route: { path: 'inbox', parse: () => ({}), format: () => [], examples: [{}] },
};
