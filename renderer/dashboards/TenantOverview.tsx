/**
 * renderer/dashboards/TenantOverview.tsx: for a holding user who sees several tenants and has not
 * narrowed to one: each tenant side by side (revenue and net profit per currency, leads won, this
 * month's spend against its limit), with a button that narrows every view to that tenant (the same
 * scope as the title bar's tenant switcher). The charts above are the roll-up of all of them.
 */
import type { BudgetRow } from '../../common/queries/dashboard-costs.ts';
import type { TenantSummaryRow } from '../../common/queries/dashboard-kpis.ts';
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { centsMoney, plainNumber, wholeMoney } from './dashboard-format.ts';

export function TenantOverview(props: {
  readonly rows: readonly TenantSummaryRow[] | null;
  readonly budgets: readonly BudgetRow[] | null;
}) {
  const names = useEngine((s) => s.tenantNames);
  const setScope = useEngine((s) => s.setScope);
  if (!props.rows) return null;
  const limitOf = (tenantId: string) =>
    props.budgets?.find((b) => b.tenant_id === tenantId && b.kind === 'tenant');
  return (
    <table className="dashboard-tenants" data-testid="dashboard-tenants">
      <caption>Per tenant</caption>
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Revenue</th>
          <th scope="col">Net profit</th>
          <th scope="col">Leads won</th>
          <th scope="col">AI spend this month</th>
          <th scope="col">
            <span className="sr-only">Show only</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const limit = limitOf(row.tenant_id);
          const name = row.tenant_name ?? tenantLabel(names, row.tenant_id);
          return (
            <tr key={`${row.tenant_id}|${row.currency ?? ''}`} data-testid="dashboard-tenant-row">
              <th scope="row">{name}</th>
              <td>{row.currency ? wholeMoney(row.revenue, row.currency) : '–'}</td>
              <td>{row.currency ? wholeMoney(row.net_profit, row.currency) : '–'}</td>
              <td>{plainNumber(row.leads_won, 0)}</td>
              <td>
                {limit
                  ? `${centsMoney(limit.spent, 'USD')}${limit.budget ? ` of ${centsMoney(limit.budget, 'USD')}` : ''}`
                  : '–'}
              </td>
              <td>
                <button type="button" className="link" onClick={() => setScope(row.tenant_id)}>
                  Show only {name}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
