/** A secret shown once, in a `code` element with a Copy button; never in a URL or shown again. */
export const SecretOnce = ({ id, label, value }: { id: string; label: string; value: string }) => (
  <section aria-label={label}>
    <p role="status">{label}: copy it now, it is not shown again.</p>
    <code id={id} class="command">{value}</code>
    <p>
      <button type="button" data-copy={id} aria-describedby={`${id}-copied`}>Copy</button>{' '}
      <span id={`${id}-copied`} role="status"></span>
    </p>
  </section>
);
