import { Diff } from './diff.js';

export interface ClusterPlan {
  name: string;
  action: 'create' | 'update' | 'delete' | 'none';
  diff: string;
}

/** What a spec would do on each cluster, with each change's diff under its row. */
export function PlanTable({ clusters, caption = 'Plan' }: { clusters: ClusterPlan[]; caption?: string }) {
  const counts = ['create', 'update', 'delete', 'none'].map((a) => `${clusters.filter((c) => c.action === a).length} ${a}`).join(', ');
  return (
    <section aria-label={caption}>
      <p role="status">{clusters.length === 0 ? 'The spec places the app on no cluster.' : `${clusters.length} clusters: ${counts}.`}</p>
      <div class="table-scroll">
        <table>
          <caption>{caption}</caption>
          <thead><tr><th scope="col">Cluster</th><th scope="col">Action</th><th scope="col">Changes</th></tr></thead>
          <tbody>
            {clusters.map((c) => (
              <tr>
                <th scope="row">{c.name}</th>
                <td>{c.action}</td>
                <td>
                  {c.action === 'none' ? 'no change' : (
                    <details>
                      <summary>Diff for {c.name}</summary>
                      <Diff text={c.diff} label={`Diff for ${c.name}`} />
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
