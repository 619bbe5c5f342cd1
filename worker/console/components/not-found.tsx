import { BarePage } from '../layout.js';

/** The same page for what does not exist and for what belongs to another tenant. */
export const NotFound = () => (
  <BarePage title="Not found">
    <p>There is no such page, or it belongs to a tenant you are not a member of.</p>
    <p><a href="/console">Back to the console</a></p>
  </BarePage>
);
