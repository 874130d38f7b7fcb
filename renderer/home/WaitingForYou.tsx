/**
 * renderer/home/WaitingForYou.tsx: the Home card of what waits for the signed-in user in the tenant
 * scope the switcher chose: approvals they may decide (directly or as a delegate) and changesets
 * waiting for their review, read from the inbox's store (the same live queries the inbox and the nav
 * count follow, not a second copy of them), a line opening the item in the inbox; and the tenant's work
 * items waiting for an approval (live from workItems.byStatus), a line opening the record in the
 * explorer. In people's terms (titles, names, due in words). Lists the user may not read are left out.
 */
import { navigate } from '../app/routes.ts';
import { openRowDetail } from '../explorer/explorer-ui.ts';
import { explorerAddress } from '../explorer/route.ts';
import { activate } from '../inbox/inbox-actions.ts';
import type { InboxItem } from '../inbox/inbox-model.ts';
import { useInbox, useInboxFeed } from '../inbox/inbox-store.ts';
import { inboxAddress } from '../inbox/route.ts';
import { formatDateTime, formatMoney } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';

const SHOWN = 5;

function openRecord(table: string, id: string): void {
  navigate(explorerAddress, { table });
  openRowDetail({ mode: 'row', key: { id } });
}

function openInInbox(key: string): void {
  activate(key);
  navigate(inboxAddress, {});
}

interface WaitingLine {
  readonly id: string;
  /** Where the line leads. */
  readonly href: string;
  readonly open: () => void;
  readonly title: string;
  /** Facts after the title, empty ones left out. */
  readonly detail: readonly string[];
}

/** One kind of waiting record: how many, and the first few, each opening its record. */
function WaitingGroup(props: {
  readonly one: string;
  readonly many: string;
  readonly lines: readonly WaitingLine[];
}) {
  if (props.lines.length === 0) return null;
  return (
    <div>
      <h3>
        {props.lines.length} {props.lines.length === 1 ? props.one : props.many}
      </h3>
      <ul>
        {props.lines.slice(0, SHOWN).map((line) => (
          <li key={line.id}>
            <a
              href={line.href}
              onClick={(e) => {
                e.preventDefault();
                line.open();
              }}
            >
              {line.title}
            </a>{' '}
            <span className="muted">{line.detail.filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function dueText(iso: string | null): string {
  const at = iso ? formatDateTime(iso) : null;
  return at ? (Date.parse(iso ?? '') < Date.now() ? `expired ${at.relative}` : `expires ${at.relative}`) : '';
}

/** An inbox item as a Home line: into the inbox, with the item active. */
function inboxLine(item: InboxItem, detail: readonly string[]): WaitingLine {
  return { id: item.id, title: item.title, detail, href: '#/inbox', open: () => openInInbox(item.key) };
}

export function WaitingForYou() {
  useInboxFeed();
  const approvals = useInbox((s) => s.approvals);
  const reviews = useInbox((s) => s.changesets);
  const permissions = useEngine((s) => s.session?.user.permissions ?? []);
  const scope = useEngine((s) => s.scope);
  const items = useNamedQuery(
    permissions.includes('work_items:read')
      ? { name: 'workItems.byStatus', params: { status: 'awaiting_approval', tenantId: scope, limit: 100 } }
      : null,
  );
  const nothing = (approvals?.length ?? 0) + (reviews?.length ?? 0) + (items?.length ?? 0) === 0;
  return (
    <section className="card waiting" aria-label="Waiting for you" data-testid="home-waiting">
      <h2>Waiting for you</h2>
      {approvals === null && reviews === null && items === null ? (
        <p className="muted">Reading this device’s data…</p>
      ) : nothing ? (
        <p className="muted">Nothing waits for you{scope ? ' in this tenant' : ''}.</p>
      ) : null}
      <WaitingGroup
        one="approval to decide"
        many="approvals to decide"
        lines={(approvals ?? []).map((a) =>
          inboxLine(a, [
            a.requesterName ? `from ${a.requesterName}` : '',
            a.onBehalfOfName ? `for ${a.onBehalfOfName}` : '',
            `risk ${a.risk ?? 0}`,
            dueText(a.expiresAt),
          ]),
        )}
      />
      <WaitingGroup
        one="changeset to review"
        many="changesets to review"
        lines={(reviews ?? []).map((c) =>
          inboxLine(c, [c.requesterName ? `by ${c.requesterName}` : '', ...c.facts]),
        )}
      />
      <WaitingGroup
        one="work item awaiting approval"
        many="work items awaiting approval"
        lines={(items ?? []).map((w) => ({
          id: w.id,
          title: w.title,
          href: '#/explorer/work_items',
          open: () => openRecord('work_items', w.id),
          detail: [
            w.assistant_name ?? '',
            w.estimated_cost ? `est. ${formatMoney(w.estimated_cost, 'USD') ?? ''}` : '',
            w.due_at ? `due ${formatDateTime(w.due_at)?.relative ?? ''}` : '',
          ],
        }))}
      />
    </section>
  );
}
