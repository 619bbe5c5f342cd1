/**
 * A unified diff, one line each: added lines marked `add`, removed `del` (the
 * leading + and - stay in the text, so the meaning never rests on colour alone).
 */
export function Diff({ text, label }: { text: string; label: string }) {
  const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  const kind = (l: string) => (l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : undefined);
  return (
    <pre class="diff" tabindex={0} aria-label={label}>
      <code>{lines.map((l) => <span class={kind(l)}>{`${l}\n`}</span>)}</code>
    </pre>
  );
}
