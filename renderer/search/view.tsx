/**
 * renderer/search/view.tsx: the search view (`#/search`, `#/search/<chunk id>`, `g f` from anywhere):
 * hybrid search over the knowledge on this device (renderer/search/Search.tsx). `/` focuses the search
 * field, `f` the filters; in the field ↑ ↓ move through the hits and Enter opens the document.
 */
import { navigate } from '../app/routes.ts';
import type { View } from '../shell/contribution.ts';
import { searchAddress, type SearchParams } from './route.ts';
import { Search } from './Search.tsx';
import { focusSearchField, focusSearchFilters } from './search-store.ts';

const here = 'view == search';
const keys = 'view == search && !overlay';

export const searchView: View<SearchParams> = {
  ...searchAddress,
  title: 'Search',
  permission: 'knowledge:read',
  nav: { label: 'Search', order: 8, params: { chunk: null } },
  render: (params) => <Search open={params.chunk} />,
  contextKeys: [
    {
      key: 'search.queryFocus',
      description: 'the search field has focus',
      label: 'when the search field has focus',
    },
  ],
  commands: [
    {
      id: 'search.open',
      title: 'Search documents',
      category: 'Go to',
      when: 'signedIn',
      run: () => {
        navigate(searchAddress, { chunk: null });
        requestAnimationFrame(focusSearchField);
      },
    },
    {
      id: 'search.focus',
      title: 'Focus the search field',
      category: 'Search',
      when: here,
      run: focusSearchField,
    },
    {
      id: 'search.filters',
      title: 'Go to the filters',
      category: 'Search',
      when: here,
      run: focusSearchFilters,
    },
  ],
  keybindings: [
    { key: 'g f', command: 'search.open', when: '!overlay' },
    { key: '/', command: 'search.focus', when: keys },
    { key: 'f', command: 'search.filters', when: keys },
  ],
  elementKeys: [
    { keys: ['ArrowUp', 'ArrowDown'], title: 'Move through the hits', when: `${here} && search.queryFocus` },
    { keys: ['Enter'], title: 'Open the document at the passage', when: `${here} && search.queryFocus` },
  ],
};
