// The audit log of operations the JS executors (process, docker) ran. The native engine keeps its
// own log of what it ran; getAuditLog() in index.js merges the two in time order.

const entries = [];
/** Oldest entries are dropped beyond this many, so a long-lived process cannot grow it forever. */
export const MAX_JS_AUDIT_ENTRIES = 10_000;

/** Records one operation: `{ operation, target, decision, reason, durationUs, executor }`. */
export function recordJsAudit(entry) {
  entries.push(Object.freeze({ ...entry, at: Date.now() }));
  if (entries.length > MAX_JS_AUDIT_ENTRIES) entries.splice(0, entries.length - MAX_JS_AUDIT_ENTRIES);
}

export function jsAuditEntries() {
  return [...entries];
}

export function clearJsAudit() {
  entries.length = 0;
}
