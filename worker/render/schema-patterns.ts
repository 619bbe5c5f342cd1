// the modules themselves: the package index re-exports them in a way workerd's CommonJS loader refuses
import { tokenizer } from 'ret/dist/tokenizer.js';
import type { Root, Token } from 'ret/dist/types/tokens.js';
import { types } from 'ret/dist/types/types.js';
import { walkSchema } from './schema-refs.js';
import type { FieldError } from './types.js';

type Node = Token | Root;

const children = (n: Node): Token[] =>
  n.type === types.ROOT || n.type === types.GROUP ? [...(n.options ?? []).flat(), ...(n.stack ?? [])]
    : n.type === types.REPETITION ? [n.value] : [];

/** Can `n` match the character `code` anywhere? Over-approximates (a back-reference can match anything). */
function canMatch(n: Node | { type: types.RANGE; from: number; to: number }, code: number): boolean {
  switch (n.type) {
    case types.CHAR: return n.value === code;
    case types.RANGE: return n.from <= code && code <= n.to;
    case types.SET: return n.set.some((x) => canMatch(x as Node, code)) !== n.not;
    case types.REFERENCE: return true;
    case types.POSITION: return false;
    default: return children(n).some((c) => canMatch(c, code));
  }
}

const repetitionsIn = (n: Node): Token[] =>
  children(n).flatMap((c) => (c.type === types.REPETITION ? [c, ...repetitionsIn(c)] : repetitionsIn(c)));

/**
 * A repeated group that starts or ends with a literal character none of its
 * inner repetitions can match, as `(\.[a-z0-9]+)*` or `([a-z]+\.)*`: every
 * iteration is cut at that character, so the nesting cannot be matched in
 * more than one way.
 */
function delimited(group: Token): boolean {
  if (group.type !== types.GROUP || (group.options?.length ?? 0) > 0 || !group.stack?.length) return false;
  const ends = [group.stack[0]!, group.stack.at(-1)!].filter((t) => t.type === types.CHAR);
  const inner = repetitionsIn(group);
  return ends.some((t) => !inner.some((r) => canMatch(r, (t as { value: number }).value)));
}

/**
 * Does `node` hold a repetition (of more than one) inside another? That nesting,
 * as in `(a+)+` or `(\d*x?)*`, lets a backtracking engine take exponential time
 * on a crafted value, and the validator runs on the shared server. `?` and
 * `{0,1}` repeat nothing, and a group cut by a delimiter (see delimited) is
 * not ambiguous, so Kubernetes' own name patterns pass. A heuristic, like
 * safe-regex's star height: `(a|a)*` is not caught.
 */
function nestedRepetition(node: Node, depth: number): boolean {
  if (node.type === types.REPETITION) {
    const repeats = node.max > 1 && !delimited(node.value);
    if (repeats && depth >= 1) return true;
    return nestedRepetition(node.value, depth + (repeats ? 1 : 0));
  }
  return children(node).some((t) => nestedRepetition(t, depth));
}

/** Why a schema regular expression is refused, or undefined when it is fine. */
export function patternProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'u'); // as the validator compiles it
  } catch (e) {
    return `is not a valid regular expression: ${(e as Error).message}`;
  }
  let tree: Node;
  try {
    tree = tokenizer(source);
  } catch {
    return undefined; // syntax the analyser does not know (e.g. Unicode property escapes): what the engine accepts is kept
  }
  return nestedRepetition(tree, 0)
    ? 'has a repetition inside a repetition (such as (a+)+), which can take exponential time on some values; rewrite it without the nesting'
    : undefined;
}

/** Every `pattern` and `patternProperties` key of a parameter schema, checked. Values (`default`, `const`, …) are not schema. */
export function unsafePatterns(schema: Record<string, unknown>, pointerPrefix: string): FieldError[] {
  const errors: FieldError[] = [];
  walkSchema(schema, pointerPrefix, (n, at) => {
    if (typeof n.pattern === 'string') {
      const why = patternProblem(n.pattern);
      if (why) errors.push({ pointer: `${at}/pattern`, message: `the pattern ${why}` });
    }
    const pp = n.patternProperties;
    if (pp !== null && typeof pp === 'object' && !Array.isArray(pp)) {
      for (const key of Object.keys(pp)) {
        const why = patternProblem(key);
        if (why) errors.push({ pointer: `${at}/patternProperties`, message: `the key "${key}" ${why}` });
      }
    }
  });
  return errors;
}
