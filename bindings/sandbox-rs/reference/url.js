// The strict URL reader of checkNetworkRequest. Mirrors accel/sandbox/src/policy/url.rs.

export class UrlError extends Error {
  constructor(why) {
    super(why);
    this.name = 'UrlError';
  }
}

const fail = (why) => {
  throw new UrlError(why);
};

function decimalOctet(label) {
  const canonical = label === '0' || !label.startsWith('0');
  if (!canonical || label.length === 0 || label.length > 3 || !/^[0-9]+$/.test(label)) return null;
  const n = Number(label);
  return n <= 255 ? n : null;
}

function dottedQuad(labels) {
  if (labels.length !== 4) return null;
  const octets = labels.map(decimalOctet);
  return octets.some((o) => o === null) ? null : octets;
}

function ipv6Groups(text, ipv4Last) {
  if (text === '') return [];
  const parts = text.split(':');
  const groups = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (ipv4Last && index === parts.length - 1 && part.includes('.')) {
      const octets = dottedQuad(part.split('.'));
      if (octets === null) return null;
      groups.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
      continue;
    }
    if (part.length === 0 || part.length > 4 || !/^[0-9a-fA-F]+$/.test(part)) return null;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text) {
  const split = text.indexOf('::');
  const compressed = split >= 0;
  const headText = compressed ? text.slice(0, split) : text;
  const tailText = compressed ? text.slice(split + 2) : '';
  const head = ipv6Groups(headText, !compressed);
  if (head === null) return null;
  const tail = compressed ? ipv6Groups(tailText, true) : [];
  if (tail === null) return null;
  const total = head.length + tail.length;
  if ((compressed && total > 7) || (!compressed && total !== 8)) return null;
  return [...head, ...new Array(8 - total).fill(0), ...tail];
}

function parsePort(port) {
  if (port === '') return null;
  if (port.length > 5 || !/^[0-9]+$/.test(port)) fail('invalid port');
  const n = Number(port);
  if (n > 65535) fail('invalid port');
  return n;
}

function parseHost(host) {
  const lower = asciiLower(host);
  const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  const labels = name.split('.');
  if (!labels.every((label) => /^[a-z0-9_-]+$/.test(label))) fail('invalid host');
  const last = labels[labels.length - 1];
  if (/^[0-9]+$/.test(last) || last.startsWith('0x')) {
    const octets = dottedQuad(labels);
    if (octets === null) fail('ambiguous numeric host');
    return { kind: 'ipv4', octets };
  }
  return { kind: 'domain', name };
}

/** Lower-cases ASCII letters only, as Rust's `to_ascii_lowercase`. */
function asciiLower(text) {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** `{ scheme, host, port }`; throws a UrlError whose message is the contract's `why`. */
export function parseUrl(url) {
  for (let i = 0; i < url.length; i++) {
    const unit = url.charCodeAt(i);
    if (unit <= 0x20 || unit === 0x7f) fail('contains whitespace or control characters');
  }
  const sep = url.indexOf('://');
  if (sep < 0) fail('expected scheme://host');
  const scheme = url.slice(0, sep);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) fail('expected scheme://host');
  const rest = url.slice(sep + 3);
  const match = /[/?#]/.exec(rest);
  const authority = match ? rest.slice(0, match.index) : rest;
  if (authority.includes('@')) fail('credentials are not allowed');
  let host;
  let port = null;
  if (authority.startsWith('[')) {
    const inner = authority.slice(1);
    const close = inner.indexOf(']');
    if (close < 0) fail('invalid IPv6 address');
    const literal = asciiLower(inner.slice(0, close));
    const groups = parseIpv6(literal);
    if (groups === null) fail('invalid IPv6 address');
    const after = inner.slice(close + 1);
    if (after.startsWith(':')) port = parsePort(after.slice(1));
    else if (after !== '') fail('invalid port');
    host = { kind: 'ipv6', groups, written: literal };
  } else {
    const colon = authority.indexOf(':');
    const hostText = colon >= 0 ? authority.slice(0, colon) : authority;
    if (colon >= 0) port = parsePort(authority.slice(colon + 1));
    if (hostText === '') fail('empty host');
    host = parseHost(hostText);
  }
  return { scheme: asciiLower(scheme), host, port };
}

export function isLocalhost(host) {
  switch (host.kind) {
    case 'domain':
      return host.name === 'localhost' || host.name.endsWith('.localhost');
    case 'ipv4':
      return host.octets[0] === 127 || host.octets.every((o) => o === 0);
    default: {
      const g = host.groups;
      const zeros = (from, to) => g.slice(from, to).every((x) => x === 0);
      const mapped = zeros(0, 5) && g[5] === 0xffff;
      return (
        (zeros(0, 7) && g[7] === 1) || zeros(0, 8) || (mapped && (g[6] >> 8 === 127 || (g[6] === 0 && g[7] === 0)))
      );
    }
  }
}

function normalizeEntry(entry) {
  const lower = asciiLower(entry);
  let trimmed = lower.startsWith('*.') ? lower.slice(2) : lower.startsWith('.') ? lower.slice(1) : lower;
  if (trimmed.endsWith('.')) trimmed = trimmed.slice(0, -1);
  return trimmed;
}

/** Whether a domain-list entry names `host`: whole labels for names, exact for IPs. */
export function hostMatches(host, rawEntry) {
  const entry = normalizeEntry(rawEntry);
  if (entry === '') return false;
  switch (host.kind) {
    case 'domain':
      return host.name === entry || (host.name.length > entry.length && host.name.endsWith('.' + entry));
    case 'ipv4':
      return entry === host.octets.join('.');
    default:
      return entry.replace(/^\[+/, '').replace(/\]+$/, '') === host.written;
  }
}
