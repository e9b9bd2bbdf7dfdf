// checkCommand's shell-aware splitter and wrapper analysis (oracle/CONTRACTS.md, Sandbox).
// Mirrors accel/sandbox/src/policy/command/{parse,wrappers,mod}.rs: every character with a
// syntactic meaning is ASCII, so walking UTF-16 code units here cuts words where the Rust
// engine cuts UTF-8 bytes.

export const MAX_DEPTH = 16;

const PARSE_REASONS = {
  singleQuote: 'unterminated single quote',
  doubleQuote: 'unterminated double quote',
  substitution: 'unterminated command substitution',
  backquote: 'unterminated backquote',
  paren: 'unbalanced parenthesis',
  backslash: 'trailing backslash',
  deep: 'nested too deeply',
};

class ParseError extends Error {
  constructor(kind) {
    super(`unparsable command: ${PARSE_REASONS[kind]}`);
    this.name = 'ParseError';
    this.kind = kind;
  }
}

const ENDS_WORD = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const isDigits = (text) => text.length > 0 && /^[0-9]+$/.test(text);
const isAssignment = (raw) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(raw);

/** Every simple command of `source` (arrays of words), substitutions before their holder. */
export function parse(source, depth, out = []) {
  if (depth > MAX_DEPTH) throw new ParseError('deep');
  new Parser(source, depth, out).list(null);
  return out;
}

class Parser {
  constructor(src, depth, out) {
    this.src = src;
    this.pos = 0;
    this.depth = depth;
    this.out = out;
  }

  peek(offset) {
    const at = this.pos + offset;
    return at < this.src.length ? this.src[at] : null;
  }

  nested(closer) {
    if (this.depth + 1 > MAX_DEPTH) throw new ParseError('deep');
    this.depth += 1;
    try {
      this.list(closer);
    } finally {
      this.depth -= 1;
    }
  }

  finish(words) {
    if (words.length > 0) this.out.push(words.splice(0));
  }

  list(closer) {
    const words = [];
    let redirectTarget = false;
    for (;;) {
      this.skipBlanks();
      const ch = this.peek(0);
      if (ch === null) {
        if (closer === null) {
          this.finish(words);
          return;
        }
        throw new ParseError(closer === 'substitution' ? 'substitution' : 'paren');
      }
      if (ch === '\n' || ch === ';' || ch === '|' || (ch === '&' && this.peek(1) !== '>')) {
        this.pos += 1;
        this.finish(words);
        redirectTarget = false;
      } else if (ch === ')') {
        if (closer === null) throw new ParseError('paren');
        this.pos += 1;
        this.finish(words);
        return;
      } else if (ch === '(') {
        this.pos += 1;
        this.nested('subshell');
      } else if (ch === '<' || ch === '>' || ch === '&') {
        if (ch !== '&' && this.peek(1) === '(') {
          this.pos += 2;
          this.nested('substitution');
        } else {
          this.redirectionOperator();
          redirectTarget = true;
        }
      } else if (ch === '#') {
        while (this.peek(0) !== null && this.peek(0) !== '\n') this.pos += 1;
      } else {
        const word = this.word();
        const next = this.peek(0);
        if ((next === '<' || next === '>') && isDigits(word.raw)) continue;
        if (redirectTarget) redirectTarget = false;
        else words.push(word);
      }
    }
  }

  skipBlanks() {
    for (;;) {
      const ch = this.peek(0);
      if (ch === ' ' || ch === '\t') this.pos += 1;
      else if (ch === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  redirectionOperator() {
    const heredoc = this.peek(0) === '<' && this.peek(1) === '<';
    while (['<', '>', '&', '|'].includes(this.peek(0))) this.pos += 1;
    if (heredoc && this.peek(0) === '-') this.pos += 1;
  }

  word() {
    const start = this.pos;
    const state = { text: '', literal: true };
    let openBracket = false;
    for (;;) {
      const ch = this.peek(0);
      if (ch === null || ENDS_WORD.has(ch)) break;
      if (ch === "'") {
        const close = this.src.indexOf("'", this.pos + 1);
        if (close < 0) throw new ParseError('singleQuote');
        state.text += this.src.slice(this.pos + 1, close);
        this.pos = close + 1;
      } else if (ch === '"') {
        this.doubleQuoted(state);
      } else if (ch === '\\') {
        const next = this.peek(1);
        if (next === null) throw new ParseError('backslash');
        if (next !== '\n') state.text += next;
        this.pos += 2;
      } else if (ch === '`') {
        this.backquote();
        state.literal = false;
      } else if (ch === '$') {
        this.dollar(state, false);
      } else {
        // A bracket expression needs its `]` in the same word: a lone `[` is the test command.
        if (ch === '*' || ch === '?' || (ch === ']' && openBracket)) state.literal = false;
        if (ch === '[') openBracket = true;
        state.text += ch;
        this.pos += 1;
      }
    }
    const raw = this.src.slice(start, this.pos);
    return { text: state.text, raw, literal: state.literal, assignment: isAssignment(raw) };
  }

  doubleQuoted(state) {
    this.pos += 1;
    for (;;) {
      const ch = this.peek(0);
      if (ch === null) throw new ParseError('doubleQuote');
      if (ch === '"') {
        this.pos += 1;
        return;
      }
      if (ch === '\\') {
        const next = this.peek(1);
        if (next === '\n') {
          this.pos += 2;
        } else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          state.text += next;
          this.pos += 2;
        } else {
          state.text += '\\';
          this.pos += 1;
        }
      } else if (ch === '`') {
        this.backquote();
        state.literal = false;
      } else if (ch === '$') {
        this.dollar(state, true);
      } else {
        state.text += ch;
        this.pos += 1;
      }
    }
  }

  dollar(state, inDoubleQuotes) {
    state.literal = false;
    const next = this.peek(1);
    if (next === '(') {
      this.pos += 2;
      this.nested('substitution');
    } else if (next === "'" && !inDoubleQuotes) {
      let at = this.pos + 2;
      for (;;) {
        if (at >= this.src.length) throw new ParseError('singleQuote');
        const ch = this.src[at];
        if (ch === '\\') at += 2;
        else if (ch === "'") break;
        else at += 1;
      }
      state.text += this.src.slice(this.pos + 2, at);
      this.pos = at + 1;
    } else {
      state.text += '$';
      this.pos += 1;
    }
  }

  backquote() {
    let content = '';
    let at = this.pos + 1;
    for (;;) {
      if (at >= this.src.length) throw new ParseError('backquote');
      const ch = this.src[at];
      if (ch === '`') break;
      if (ch === '\\') {
        const next = at + 1 < this.src.length ? this.src[at + 1] : null;
        if (next === '`' || next === '\\' || next === '$') {
          content += next;
          at += 2;
        } else {
          content += '\\';
          at += 1;
        }
      } else {
        content += ch;
        at += 1;
      }
    }
    this.pos = at + 1;
    parse(content, this.depth + 1, this.out);
  }
}

// --- wrappers ---------------------------------------------------------------------------------

function spec(shortWithValue, longWithValue, extra = {}) {
  return { shortWithValue, longWithValue, operands: 0, assignments: false, dashIsOption: false, splitShort: null, splitLong: null, ...extra };
}

const TRANSPARENT = {
  env: spec('uCS', ['--unset', '--chdir', '--split-string'], { assignments: true, dashIsOption: true, splitShort: 'S', splitLong: '--split-string' }),
  nice: spec('n', ['--adjustment']),
  nohup: spec('', []),
  builtin: spec('', []),
  setsid: spec('', []),
  command: spec('', []),
  timeout: spec('sk', ['--signal', '--kill-after'], { operands: 1 }),
  xargs: spec('ILnPsdEa', ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--process-slot-var']),
  exec: spec('a', []),
  time: spec('fo', ['--format', '--output']),
  stdbuf: spec('ioe', ['--input', '--output', '--error']),
};

const ESCALATING = {
  sudo: spec(
    'CDgpRrtTUu',
    ['--close-from', '--chdir', '--group', '--host', '--prompt', '--chroot', '--role', '--type', '--command-timeout', '--other-user', '--user'],
    { assignments: true },
  ),
  doas: spec('uC', []),
  pkexec: spec('', ['--user']),
};

const SHELLS = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh'];
const KEYWORDS = ['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'time'];

/** `{ next, split }`: where the wrapped command starts; `split` = `{ word, offset }` of an `env -S` line. */
function skipOptions(words, start, s) {
  let i = start;
  while (i < words.length) {
    const word = words[i];
    if (!word.literal) break;
    const text = word.text;
    if (text === '--') {
      i += 1;
      break;
    }
    if (text === '-') {
      if (s.dashIsOption) {
        i += 1;
        continue;
      }
      break;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(0, eq) : text;
      const hasValue = eq >= 0;
      if (s.splitLong === name) {
        const split = hasValue ? { word, offset: name.length + 1 } : i + 1 < words.length ? { word: words[i + 1], offset: 0 } : null;
        return { next: words.length, split };
      }
      i += !hasValue && s.longWithValue.includes(name) ? 2 : 1;
      continue;
    }
    if (text.startsWith('-')) {
      const cluster = text.slice(1);
      let consumed = 1;
      // Code points, as Rust's char_indices walks them.
      let at = 0;
      for (const letter of cluster) {
        const width = letter.length;
        if (s.shortWithValue.includes(letter)) {
          const attached = at + width < cluster.length;
          if (s.splitShort === letter) {
            const split = attached ? { word, offset: 1 + at + width } : i + 1 < words.length ? { word: words[i + 1], offset: 0 } : null;
            return { next: words.length, split };
          }
          if (!attached) consumed = 2;
          break;
        }
        at += width;
      }
      i += consumed;
      continue;
    }
    break;
  }
  i = Math.min(i + s.operands, Math.max(words.length, i));
  if (s.assignments) {
    while (i < words.length && words[i].assignment) i += 1;
  }
  return { next: i, split: null };
}

function shellCommandString(words, start) {
  let hasC = false;
  let i = start;
  while (i < words.length) {
    const text = words[i].text;
    if (text === '--') {
      i += 1;
      break;
    }
    if (text.startsWith('--')) {
      i += 1;
      continue;
    }
    if (text.length > 1 && (text.startsWith('-') || text.startsWith('+'))) {
      const cluster = text.slice(1);
      if (cluster.includes('c')) hasC = true;
      i += cluster.endsWith('o') || cluster.endsWith('O') ? 2 : 1;
      continue;
    }
    break;
  }
  return hasC && i < words.length ? words[i] : null;
}

function suCommandString(words, start) {
  for (let i = start; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (text.startsWith('--command=')) return { word, offset: '--command='.length };
    if (text === '--command' || (text.startsWith('-') && !text.startsWith('--') && text.endsWith('c'))) {
      return i + 1 < words.length ? { word: words[i + 1], offset: 0 } : null;
    }
  }
  return null;
}

// --- invocations ------------------------------------------------------------------------------

const basename = (text) => text.slice(text.lastIndexOf('/') + 1);

/**
 * Everything `line` would run, in order: `{ kind: "command" | "escalation", name }`,
 * `{ kind: "notLiteral", raw }` or `{ kind: "emptyName" }`. Throws a ParseError.
 */
export function invocations(line, depth = 0, out = []) {
  for (const words of parse(line, depth)) analyze(words, depth, out);
  return out;
}

function reparse(split, depth, out) {
  if (!split.word.literal) {
    out.push({ kind: 'notLiteral', raw: split.word.raw });
    return;
  }
  // Offsets are UTF-16 units here and bytes in Rust: both point just past the same option letter.
  invocations(split.word.text.slice(split.offset), depth + 1, out);
}

function analyze(words, depth, out) {
  let i = 0;
  while (i < words.length && (KEYWORDS.includes(words[i].raw) || words[i].assignment)) i += 1;
  if (i < words.length && (words[i].raw === 'for' || words[i].raw === 'select')) return;
  let pendingWrapper = null;
  for (;;) {
    if (i >= words.length) {
      if (pendingWrapper !== null) out.push({ kind: 'command', name: pendingWrapper });
      return;
    }
    const word = words[i];
    if (!word.literal) {
      out.push({ kind: 'notLiteral', raw: word.raw });
      return;
    }
    const name = basename(word.text);
    if (name === '') {
      out.push({ kind: 'emptyName' });
      return;
    }
    if (Object.hasOwn(ESCALATING, name)) {
      out.push({ kind: 'escalation', name });
      pendingWrapper = null;
      i = skipOptions(words, i + 1, ESCALATING[name]).next;
      continue;
    }
    if (name === 'su') {
      out.push({ kind: 'escalation', name });
      const split = suCommandString(words, i + 1);
      if (split !== null) reparse(split, depth, out);
      return;
    }
    if (Object.hasOwn(TRANSPARENT, name)) {
      const skipped = skipOptions(words, i + 1, TRANSPARENT[name]);
      if (skipped.split !== null) {
        reparse(skipped.split, depth, out);
        return;
      }
      pendingWrapper = name;
      i = skipped.next;
      continue;
    }
    if (SHELLS.includes(name)) {
      out.push({ kind: 'command', name });
      const word = shellCommandString(words, i + 1);
      if (word !== null) reparse({ word, offset: 0 }, depth, out);
      return;
    }
    if (name === 'eval') {
      const rest = words.slice(i + 1);
      const dynamic = rest.find((w) => !w.literal);
      if (dynamic) {
        out.push({ kind: 'notLiteral', raw: dynamic.raw });
        return;
      }
      invocations(rest.map((w) => w.text).join(' '), depth + 1, out);
      return;
    }
    out.push({ kind: 'command', name });
    return;
  }
}

/** `null` when every command of `line` may run under `rules`, else the first reason not. */
export function commandDenial(line, rules) {
  let found;
  try {
    found = invocations(line);
  } catch (error) {
    if (error.name === 'ParseError') return error.message;
    throw error;
  }
  if (found.length === 0) return 'empty command';
  for (const invocation of found) {
    const reason = checkOne(invocation, rules);
    if (reason !== null) return reason;
  }
  return null;
}

function checkOne(invocation, rules) {
  const blocked = rules.blockedCommands ?? [];
  switch (invocation.kind) {
    case 'notLiteral':
      return `command name is not literal: ${invocation.raw}`;
    case 'emptyName':
      return 'empty command name';
    case 'escalation':
      if (!rules.allowSudo) return `${invocation.name}: privilege escalation is not allowed`;
      return blocked.includes(invocation.name) ? `${invocation.name}: blocked command` : null;
    default:
      if (blocked.includes(invocation.name)) return `${invocation.name}: blocked command`;
      if (rules.mode === 'whitelist' && !(rules.allowedCommands ?? []).includes(invocation.name)) {
        return `${invocation.name}: not in the allowed commands`;
      }
      return null;
  }
}
