/** A phase or health word, coloured by what it means (the word itself carries the meaning, not the colour). */
export const Phase = ({ value }: { value: string | undefined }) => (
  <span class={`phase phase-${value ?? 'Unknown'}`}>{value ?? '—'}</span>
);
