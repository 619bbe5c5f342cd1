import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

/** Colours a unified diff's lines for a terminal. */
export function colourDiff(text: string, colour: boolean): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => {
    if (!colour) return l;
    if (l.startsWith('+') && !l.startsWith('+++')) return `${GREEN}${l}${RESET}`;
    if (l.startsWith('-') && !l.startsWith('---')) return `${RED}${l}${RESET}`;
    if (l.startsWith('@@')) return `${CYAN}${l}${RESET}`;
    return l;
  });
}

/** A unified diff of two objects as YAML, from the server's copy to the file's. */
export function yamlDiff(label: string, before: unknown, after: unknown): string {
  const patch = createTwoFilesPatch(`${label} (server)`, `${label} (file)`, stringify(before), stringify(after), undefined, undefined, { context: 3 });
  return patch.split('\n').filter((l) => !/^={5,}$/.test(l)).join('\n');
}

/** A whole object as additions, for a create. */
export const asAdded = (value: unknown) => stringify(value).trimEnd().split('\n').map((l) => `+ ${l}`).join('\n');
