// How a value becomes text for estimateJsonTokens, message costs and zstd payloads:
// `JSON.stringify(value)`, or `String(value)` when that throws (a cycle, a BigInt) or gives
// undefined (undefined, a function, a symbol). When even `String` throws (an object without a
// prototype), `Object.prototype.toString` names it: serializing never throws.
export function serializeValue(value) {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // not serializable as JSON: fall through to String
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
