// Sizes measured without building what they measure (not in upstream json-e):
// a value may share one array many times over, so its flattened or
// serialized form can be vastly larger than the memory it holds.
import {size, step} from './budget.js';

/** Elements $flattenDeep would produce, counted until past `limit`. */
export function flatCount(value, limit) {
  let n = 0;
  const stack = [value];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    step();
    if (Array.isArray(v)) for (let k = v.length - 1; k >= 0; k--) stack.push(v[k]);
    else n += 1;
  }
  return n;
}

/** Characters of JSON.stringify(value) (near enough for a limit), counted until past `limit`. */
export function jsonLength(value, limit) {
  let n = 0;
  const stack = [value];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    step();
    if (typeof v === 'string') n += v.length + 2;
    else if (v === null || typeof v !== 'object') n += String(v).length;
    else if (Array.isArray(v)) {
      n += 1 + v.length;
      for (const x of v) stack.push(x);
    } else {
      const keys = Object.keys(v);
      n += 1 + keys.length;
      for (const k of keys) {
        n += k.length + 3;
        stack.push(v[k]);
      }
    }
  }
  return n;
}

/** Characters of Array.prototype.join(separator) over a list, counted until past `limit` (nested arrays join with commas). */
export function joinLength(list, separator, limit) {
  let n = Math.max(0, list.length - 1) * String(separator).length;
  const stack = [...list];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    step();
    if (Array.isArray(v)) {
      n += Math.max(0, v.length - 1);
      for (const x of v) stack.push(x);
    } else if (v !== null && v !== undefined) n += String(v).length;
  }
  return n;
}

/** size() for a result whose length is only known by measuring: measured up to just past the limit. */
export function sizeMeasured(measure, limit) {
  size(measure(limit === Infinity ? Number.MAX_SAFE_INTEGER : limit + 1));
}
