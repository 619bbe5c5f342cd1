import {step} from './budget.js';

let utils = {
  // avoids redefinition
  hasOwn: (obj, prop) => Object.prototype.hasOwnProperty.call(obj, prop),
  // use null prototype so `__proto__` key behaves
  // a context holds the builtins and every enclosing variable: copying one is work (budget, not in upstream)
  mergeContext: (...sources) => (step(32), Object.assign(Object.create(null), ...sources)),
  setProp: (obj, key, value) => {
    Object.defineProperty(obj, key, {
      value, writable: true, enumerable: true, configurable: true,
    });
    return obj;
  },
  isString:   expr => typeof expr === 'string',
  isNumber:   expr => typeof expr === 'number',
  isInteger:  expr => typeof expr === 'number' && Number.isInteger(expr),
  isBool:     expr => typeof expr === 'boolean',
  isNull:     expr => expr === null,
  isArray:    expr => expr instanceof Array,
  isObject:   expr => expr instanceof Object && !(expr instanceof Array) && !(expr instanceof Function),
  isFunction: expr => expr instanceof Function,
  isTruthy: expr => {
    return expr!== null && (
      utils.isArray(expr) && expr.length > 0 ||
      utils.isObject(expr) && Object.keys(expr).length > 0 ||
      utils.isString(expr) && expr.length > 0 ||
      utils.isNumber(expr) && expr !== 0 ||
      utils.isBool(expr) && expr ||
      utils.isFunction(expr)
    );
  },
};

export const {hasOwn, mergeContext, setProp, isString, isNumber, isInteger, isBool, isNull, isArray, isObject, isFunction, isTruthy} = utils;
