// Edits that look like what people do to code: renamed identifiers, changed literals and types,
// added comments, inserted and deleted runs of lines, moved blocks, re-indentation.
// Every function takes a `Random` and is deterministic for a given seed.

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;

function capitalize(word) {
  return word[0].toUpperCase() + word.slice(1);
}

const LINE_MUTATIONS = [
  function renameIdentifier(line, rng) {
    const names = [...line.matchAll(IDENTIFIER)];
    if (names.length === 0) return null;
    const match = rng.pick(names);
    const name = match[0];
    const renamed = rng.pick([`${name}Next`, `legacy${capitalize(name)}`, `${name}_v2`, `${name}s`]);
    return line.slice(0, match.index) + renamed + line.slice(match.index + name.length);
  },
  function changeNumber(line, rng) {
    const numbers = [...line.matchAll(/\d+/g)];
    if (numbers.length === 0) return null;
    const match = rng.pick(numbers);
    const changed = String(Number(match[0]) + rng.int(1, 99));
    return line.slice(0, match.index) + changed + line.slice(match.index + match[0].length);
  },
  function changeType(line, rng) {
    const swaps = [
      ['string', 'number'],
      ['number', 'bigint'],
      ['boolean', 'string | boolean'],
      ['readonly ', ''],
      ['?: ', ': '],
      ['void', 'Promise<void>'],
    ].filter(([from]) => line.includes(from));
    if (swaps.length === 0) return null;
    const [from, to] = rng.pick(swaps);
    return line.replace(from, to);
  },
  function appendComment(line, rng) {
    return line + rng.pick([' // TODO: review', ' // changed', ' /* deprecated */', ' // see issue 42']);
  },
];

/** A line that differs from `line` the way an edit to code would make it differ. */
export function mutateLine(line, rng) {
  if (line.trim() === '') return rng.pick(['// added note', '    // spacer comment', '/* blank */']);
  for (let attempt = 0; attempt < 8; attempt++) {
    const changed = rng.pick(LINE_MUTATIONS)(line, rng);
    if (changed !== null && changed !== line) return changed;
  }
  return line + ' // edited';
}

/** `count` consecutive lines of `donor` from a random offset (wrapping around). */
function donorBlock(donor, rng, count) {
  const start = rng.int(0, donor.length - 1);
  const block = [];
  for (let i = 0; i < count; i++) block.push(donor[(start + i) % donor.length]);
  return block;
}

/** Reserves a free run of `length` old lines, or a shorter one when none is found quickly. */
function reserveRun(state, rng, length, kind) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const start = rng.int(0, state.length - length);
    let free = true;
    for (let i = start; i < start + length; i++) free &&= state[i] === null;
    if (free) {
      for (let i = start; i < start + length; i++) state[i] = kind;
      return length;
    }
  }
  const start = rng.int(0, state.length - 1);
  for (let offset = 0; offset < state.length; offset++) {
    const i = (start + offset) % state.length;
    if (state[i] === null) {
      state[i] = kind;
      return 1;
    }
  }
  throw new Error('reserveRun: every line is already edited');
}

/**
 * Changes `Math.round(lines.length * fraction)` lines: a quarter inserted, a quarter deleted and
 * the rest modified (so the line count stays the same), unless `kinds` says otherwise.
 * Edits come in runs of 1..`maxRun` lines; inserted lines are real lines taken from `donor`.
 */
export function editLines(lines, rng, { fraction, donor, kinds = 'mixed', maxRun = 4 }) {
  const total = Math.round(lines.length * fraction);
  const budget = { modify: 0, insert: 0, delete: 0 };
  if (kinds === 'mixed') {
    budget.insert = Math.floor(total / 4);
    budget.delete = Math.floor(total / 4);
    budget.modify = total - budget.insert - budget.delete;
  } else {
    budget[kinds] = total;
  }
  if (budget.modify + budget.delete > lines.length) throw new Error('editLines: more edits than lines');

  const state = new Array(lines.length).fill(null);
  const insertsBefore = new Map();
  for (;;) {
    const open = Object.keys(budget).filter((kind) => budget[kind] > 0);
    if (open.length === 0) break;
    const kind = rng.pick(open);
    const length = Math.min(rng.int(1, maxRun), budget[kind]);
    if (kind === 'insert') {
      const position = rng.int(0, lines.length);
      const existing = insertsBefore.get(position) ?? [];
      insertsBefore.set(position, existing.concat(donorBlock(donor, rng, length)));
      budget.insert -= length;
    } else {
      budget[kind] -= reserveRun(state, rng, length, kind);
    }
  }

  const out = [];
  for (let i = 0; i <= lines.length; i++) {
    out.push(...(insertsBefore.get(i) ?? []));
    if (i === lines.length) break;
    if (state[i] === null) out.push(lines[i]);
    else if (state[i] === 'modify') out.push(mutateLine(lines[i], rng));
  }
  return out;
}

/** Moves `blocks` runs of `minLength..maxLength` lines each to another place. */
export function moveBlocks(lines, rng, { blocks, minLength, maxLength }) {
  let current = [...lines];
  for (let b = 0; b < blocks; b++) {
    const length = rng.int(minLength, maxLength);
    const from = rng.int(0, current.length - length);
    const block = current.slice(from, from + length);
    const rest = current.slice(0, from).concat(current.slice(from + length));
    let to = rng.int(0, rest.length);
    if (to === from) to = (to + length) % (rest.length + 1);
    current = rest.slice(0, to).concat(block, rest.slice(to));
  }
  return current;
}

/** Re-indents or pads `fraction` of the lines without touching anything but whitespace. */
export function whitespaceEdits(lines, rng, fraction) {
  return lines.map((line) => {
    if (!rng.chance(fraction)) return line;
    const indent = line.match(/^\s*/)[0];
    const body = line.slice(indent.length);
    switch (rng.int(0, 3)) {
      case 0:
        return indent.replace(/ {4}/g, '\t') + body + (indent.includes('    ') ? '' : ' ');
      case 1:
        return indent + body + '  ';
      case 2:
        return '  ' + indent + body;
      default:
        return body === '' ? line + '  ' : indent.slice(0, Math.max(0, indent.length - 2)) + body + '\t';
    }
  });
}
