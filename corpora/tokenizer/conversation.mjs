// A seeded agent conversation of NativeMessage objects (API.md) for compressContext: system,
// user, assistant and tool messages; content from one word to several KB, or none at all;
// assistant tool calls; tool results holding JSON (objects, arrays, strings, numbers, null).

import { rng } from '../rng.mjs';
import { between, chineseSentence, codeSnippet, emojiLine, paragraph, prose, seedOf, typescriptLines } from './texts.mjs';

const TOOLS = ['read_file', 'write_file', 'run_command', 'search_code', 'list_directory', 'fetch_url'];
const PATHS = ['src/index.ts', 'src/lib/tokenizer.rs', 'README.md', 'package.json', 'test/compress.test.mjs', 'docs/设计.md'];

function content(random) {
  const roll = random();
  if (roll < 0.05) return '';
  if (roll < 0.3) return paragraph(random, between(random, 1, 2));
  if (roll < 0.55) return paragraph(random) + '\n\n' + paragraph(random);
  if (roll < 0.7) return 'Here is the code:\n```\n' + codeSnippet(random) + '```\n' + paragraph(random, 1);
  if (roll < 0.8) return prose(random, between(random, 2000, 6000));
  if (roll < 0.88) return chineseSentence(random) + ' ' + paragraph(random, 1);
  if (roll < 0.94) return emojiLine(random);
  return typescriptLines(random, between(random, 20, 80));
}

function toolArguments(random, name) {
  switch (name) {
    case 'read_file':
      return { path: random.pick(PATHS), startLine: random.int(200), endLine: 200 + random.int(200) };
    case 'write_file':
      return { path: random.pick(PATHS), content: codeSnippet(random) };
    case 'run_command':
      return { command: random.pick(['npm test', 'cargo build -p accel-tokenizer', 'ls -la', 'git status']), timeoutMs: 30000 };
    default:
      return { query: paragraph(random, 1), limit: between(random, 1, 50), caseSensitive: random() < 0.5 };
  }
}

function toolResult(random) {
  const roll = random();
  if (roll < 0.1) return null;
  if (roll < 0.2) return random.int(100000);
  if (roll < 0.35) return paragraph(random);
  if (roll < 0.55) return { ok: true, stdout: codeSnippet(random), stderr: '', exitCode: 0, durationMs: random.int(5000) };
  if (roll < 0.75) {
    return Array.from({ length: between(random, 0, 40) }, (_, i) => ({
      path: `${random.pick(PATHS)}:${i + 1}`,
      line: random.int(2000),
      preview: paragraph(random, 1).slice(0, 80),
      score: Math.round(random() * 1000) / 1000,
    }));
  }
  if (roll < 0.9) return { content: typescriptLines(random, between(random, 10, 120)), truncated: random() < 0.3, encoding: 'utf-8' };
  return { error: { code: 'ENOENT', message: `no such file: "${random.pick(PATHS)}"\n\tat open()` }, nested: { deep: [1, [2, [3, { four: '四' }]]] } };
}

/** `count` messages: a system prompt, then user turns answered by assistants that call tools. */
export function conversation(count = 500) {
  const random = rng(seedOf(`conversation-${count}`));
  const messages = [{ role: 'system', content: 'You are a careful coding agent. ' + paragraph(random, 3) }];
  let callNumber = 0;
  let pending = []; // tool calls awaiting results
  while (messages.length < count) {
    if (pending.length > 0) {
      const call = pending.shift();
      const message = { role: 'tool', toolName: call.name, result: toolResult(random) };
      if (random() < 0.4) message.content = paragraph(random, 1);
      messages.push(message);
      continue;
    }
    const roll = random();
    if (roll < 0.3) {
      const message = { role: 'user', content: content(random) };
      if (random() < 0.15) {
        message.toolResults = Array.from({ length: between(random, 1, 3) }, () => {
          const result = toolResult(random);
          const entry = { callId: `call_${callNumber++}`, result };
          if (random() < 0.5) entry.size = JSON.stringify(result)?.length ?? 0;
          return entry;
        });
      }
      messages.push(message);
    } else if (roll < 0.75) {
      const message = { role: 'assistant' };
      if (random() < 0.7) message.content = content(random);
      if (random() < 0.5 || message.content === undefined) {
        message.toolCalls = Array.from({ length: between(random, 1, 3) }, () => {
          const name = random.pick(TOOLS);
          return { id: `call_${callNumber++}`, name, arguments: toolArguments(random, name) };
        });
        pending = message.toolCalls.slice();
      }
      messages.push(message);
    } else if (roll < 0.97) {
      messages.push({ role: 'user', content: content(random) });
    } else {
      messages.push({ role: 'system', content: paragraph(random, 1) });
    }
  }
  return messages.slice(0, count);
}
