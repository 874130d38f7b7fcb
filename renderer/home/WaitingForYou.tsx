/**
 * renderer/home/WaitingForYou.tsx: the Home card of what waits for the signed-in user in the tenant
 * scope the switcher chose: approvals they may decide (directly or as a delegate), changesets waiting
 * for their review, and work items waiting for an approval, each live from the named queries of
 * common/queries, in people's terms (titles, names, due in words). A line opens the record in the
 * explorer. Lists the user may not read are left out.
 */
import { navigate } from '../app/routes.ts';
import { openRowDetail } from '../explorer/explorer-ui.ts';
import { explorerAddress } from '../explorer/route.ts';
import { formatDateTime, formatMoney } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';

const SHOWN = 5;

function open(table: string, id: string): void {
  navigate(explorerAddress, { table });
  openRowDetail({ mode: 'row', key: { id } });
}

interface WaitingLine {
  readonly id: string;
  readonly title: string;
  /** Facts after the title, empty ones left out. */
  readonly detail: readonly string[];
}

/** One kind of waiting record: how many, and the first few, each opening its record. */
function WaitingGroup(props: {
  readonly one: string;
  readonly many: string;
  readonly table: string;
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
              href={`#/explorer/${props.table}`}
              onClick={(e) => {
                e.preventDefault();
                open(props.table, line.id);
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

export function WaitingForYou() {
  const permissions = useEngine((s) => s.session?.user.permissions ?? []);
  const scope = useEngine((s) => s.scope);
  const may = (p: string) => permissions.includes(p);
  const approvals = useNamedQuery(
    may('approvals:read')
      ? { name: 'approvals.waitingForMe', params: { tenantId: scope, limit: 100 } }
      : null,
  );
  const reviews = useNamedQuery(
    may('changesets:review')
      ? { name: 'changesets.awaitingMyReview', params: { tenantId: scope, limit: 100 } }
      : null,
  );
  const items = useNamedQuery(
    may('work_items:read')
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
        table="approvals"
        lines={(approvals ?? []).map((a) => ({
          id: a.id,
          title: a.title,
          detail: [
            a.requester_name ? `from ${a.requester_name}` : '',
            a.on_behalf_of_name ? `for ${a.on_behalf_of_name}` : '',
            `risk ${a.risk_level}`,
            dueText(a.expires_at),
          ],
        }))}
      />
      <WaitingGroup
        one="changeset to review"
        many="changesets to review"
        table="workspace_changesets"
        lines={(reviews ?? []).map((c) => ({
          id: c.id,
          title: c.title,
          detail: [
            c.workspace_name ?? '',
            c.proposer_name ? `by ${c.proposer_name}` : '',
            `${c.patch_count} files`,
          ],
        }))}
      />
      <WaitingGroup
        one="work item awaiting approval"
        many="work items awaiting approval"
        table="work_items"
        lines={(items ?? []).map((w) => ({
          id: w.id,
          title: w.title,
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
