/**
 * The attacking tenant of bench/fairness.ts, in a process of its own (as a
 * real attacker is): closed loops from many connections until told to stop,
 * then its counts on stdout as JSON. Arguments: URL TOKEN PATH CONNECTIONS.
 */
const [url, token, path, connections] = process.argv.slice(2) as [string, string, string, string];
const counts = { requests: 0, limited: 0, other: 0 };
let attacking = true;
process.on('message', () => { attacking = false; });
const loops = Array.from({ length: Number(connections) }, async () => {
  while (attacking) {
    const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    counts.requests++;
    if (r.status === 429) counts.limited++;
    else if (r.status !== 200) counts.other++;
  }
});
process.send!('started');
await Promise.all(loops);
process.send!(counts, () => process.exit(0));
export {};
