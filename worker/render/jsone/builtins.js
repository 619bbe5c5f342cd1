import {BuiltinError} from './error.js';
import {elementLimit, size} from './budget.js';
import {joinLength, sizeMeasured} from './measure.js';
import fromNow from './from-now.js';
import {
  isString, isNumber, isBool,
  isInteger, isArray, isObject,
  isNull, isFunction, hasOwn, mergeContext,
} from './type-utils.js';

let types = {
  string: isString,
  number: isNumber,
  integer: isInteger,
  boolean: isBool,
  array: isArray,
  object: isObject,
  null: isNull,
  function: isFunction,
};

let builtinError = (builtin) => new BuiltinError(`invalid arguments to ${builtin}`);

export default (context) => {
  let builtins = {};
  let define = (name, context, {
    argumentTests = [],
    minArgs = false,
    variadic = null,
    needsContext = false,
    invoke,
  }) => {
    context[name] = (...args) => {
      let ctx = args.shift();
      if (!variadic && args.length < argumentTests.length) {
        throw builtinError(`builtin: ${name}`, `${args.toString()}, too few arguments`);
      }

      if (minArgs && args.length < minArgs) {
        throw builtinError(`builtin: ${name}: expected at least ${minArgs} arguments`);
      }

      if (variadic) {
        argumentTests = args.map((_, i) => i < argumentTests.length ? argumentTests[i] : variadic);
      }

      args.forEach((arg, i) => {
        if (!argumentTests[i].split('|').some(test => types[test](arg))) {
          throw builtinError(`builtin: ${name}`, `argument ${i + 1} to be ${argumentTests[i]} found ${typeof arg}`);
        }
      });
      if (needsContext)
        return invoke(ctx, ...args);

      return invoke(...args);
    };
    context[name].jsone_builtin = true;

    return context[name];
  };

  // Math functions
  ['max', 'min'].forEach(name => {
    if (Math[name] == undefined) {
      throw new Error(`${name} in Math undefined`);
    }
    define(name, builtins, {
      minArgs: 1,
      variadic: 'number',
      invoke: (...args) => Math[name](...args),
    });
  });

  ['sqrt', 'ceil', 'floor', 'abs'].forEach(name => {
    if (Math[name] == undefined) {
      throw new Error(`${name} in Math undefined`);
    }
    define(name, builtins, {
      argumentTests: ['number'],
      invoke: num => Math[name](num),
    });
  });

  define('range', builtins, {
    minArgs: 2,
    argumentTests: ['integer', 'integer', 'integer'],
    variadic: 'number',
    invoke: (start, stop, step=1) => {
      const length = Math.ceil((stop - start) / step);
      size(length > 0 ? length : 0);
      return Array.from(
        {length: Math.ceil((stop - start) / step)}, 
        (_, i) => start + i * step
      )
    },
  });

  // String manipulation
  define('lowercase', builtins, {
    argumentTests: ['string'],
    invoke: str => { const r = str.toLowerCase(); size(r.length); return r; },
  });

  define('uppercase', builtins, {
    argumentTests: ['string'],
    invoke: str => { const r = str.toUpperCase(); size(r.length); return r; },
  });

  define('str', builtins, {
    argumentTests: ['string|number|boolean|null'],
    invoke: obj => {
      if (obj === null) {
        return 'null';
      }
      return obj.toString();
    },
  });

  define('number', builtins, {
    argumentTests: ['string'],
    invoke: Number,
  });

  define('len', builtins, {
    argumentTests: ['string|array'],
    invoke: obj => { size(obj.length); return Array.from(obj).length; },
  });

  define('strip', builtins, {
    argumentTests: ['string'],
    invoke: str => str.trim(),
  });

  define('rstrip', builtins, {
    argumentTests: ['string'],
    invoke: str => str.replace(/\s+$/, ''),
  });

  define('lstrip', builtins, {
    argumentTests: ['string'],
    invoke: str => str.replace(/^\s+/, ''),
  });

  define('split', builtins, {
    minArgs: 2,
    argumentTests: ['string', 'string|number'],
    invoke: (input, delimiter) => { size(input.length + 1); return input.split(delimiter); }
  });

  define('join', builtins, {
    argumentTests: ['array', 'string|number'],
    invoke: (list, separator) => { sizeMeasured((limit) => joinLength(list, separator, limit), elementLimit()); return list.join(separator); }
  });

  // Miscellaneous
  define('fromNow', builtins, {
    variadic: 'string',
    minArgs: 1,
    needsContext: true,
    invoke: (ctx, str, reference) => fromNow(str, reference || ctx.now),
  });

  define('typeof', builtins, {
    argumentTests: ['string|number|boolean|array|object|null|function'],
    invoke: x => {
      for (let type of ['string', 'number', 'boolean', 'array', 'object', 'function']) {
        if (types[type](x)) {
          return type;
        }
      }
      if (types['null'](x)) {
        return 'null';
      }
      throw builtinError('builtin: typeof', `argument ${x} to be a valid json-e type. found ${typeof arg}`);
    },
  });

  define('defined', builtins, {
    argumentTests: ['string'],
    needsContext: true,
    invoke: (ctx, str) => hasOwn(ctx, str)
  });

  return mergeContext(builtins, context);
};
