/** "12 s ago", with the exact time in a <time> element for assistive technology and tooltips. */
export function Ago({ at, now }: { at: string | null | undefined; now: Date }) {
  if (!at) return <span>never</span>;
  const s = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  const text = s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 86400)} d ago`;
  return <time datetime={at} title={at}>{text}</time>;
}
