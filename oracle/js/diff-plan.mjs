// What the recorder runs for the diff track: which fallback calls, on which inputs.
// Every call is an entry `{ id, op, args }`; args may reference the subject's inputs
// (`{"$input": name}`) or the value an earlier entry returned (`{"$result": id}`), so a big
// patch is recorded once and reused as the input of applyPatch / reversePatch.

const input = (name) => ({ $input: name });
const result = (id) => ({ $result: id });
const UNDEFINED = { $undefined: true };

/** createTwoFilesPatch name/header variants: plain, C-quoted (tab, space, quote, non-ASCII), same name. */
const NAME_VARIANTS = {
  'plain-names': ['a/src/lib.d.ts', 'b/src/lib.d.ts', '2024-01-01 00:00:00.000000000 +0000', '2024-01-02 08:30:00.000000000 +0100'],
  'quoted-names': ['a b\t.txt', 'ünïcødé/файл "q" \\ end.ts', UNDEFINED, UNDEFINED, { context: 2 }],
  'same-name': ['same.txt', 'same.txt', 'old header', 'new header', { context: 3 }],
  'empty-names': ['', '', '', '', { context: 0 }],
};

function createTwoFilesPatchArgs(variant) {
  const [oldName, newName, ...rest] = NAME_VARIANTS[variant];
  return [oldName, newName, input('old'), input('new'), ...rest];
}

/**
 * Entries for an old/new pair. `heavy` subjects (the 2k/10k-line code corpora) get fewer
 * variants: jsdiff needs about a second per diff of the 10k-line, 30% case.
 */
export function pairEntries({ heavy = false, extraContexts = [], extraNameVariants = [] } = {}) {
  const contexts = heavy ? [0] : [0, 1, 3, ...extraContexts];
  const nameVariants = heavy ? ['quoted-names'] : ['plain-names', 'quoted-names', 'same-name', ...extraNameVariants];
  const entries = [{ id: 'diffUnified', op: 'diffUnified', args: [input('old'), input('new')], primary: true }];
  for (const context of contexts) {
    entries.push({ id: `diffUnified/context=${context}`, op: 'diffUnified', args: [input('old'), input('new'), context] });
  }
  for (const variant of nameVariants) {
    entries.push({ id: `createTwoFilesPatch/${variant}`, op: 'createTwoFilesPatch', args: createTwoFilesPatchArgs(variant) });
  }
  entries.push({ id: 'diffLines', op: 'diffLines', args: [input('old'), input('new')] });
  entries.push({ id: 'reversePatch/diffUnified', op: 'reversePatch', args: [result('diffUnified')] });
  if (!heavy) {
    entries.push({ id: 'reversePatch/quoted-names', op: 'reversePatch', args: [result('createTwoFilesPatch/quoted-names')] });
  }
  entries.push(
    { id: 'applyPatch/forward', op: 'applyPatch', args: [input('old'), result('diffUnified')] },
    { id: 'applyPatch/context=0', op: 'applyPatch', args: [input('old'), result('diffUnified/context=0')] },
    { id: 'applyPatch/quoted-names', op: 'applyPatch', args: [input('old'), result('createTwoFilesPatch/quoted-names')] },
    { id: 'applyPatch/reversed-onto-new', op: 'applyPatch', args: [input('new'), result('reversePatch/diffUnified')] },
    // Usually fails: pins the error message on a realistic patch.
    { id: 'applyPatch/forward-onto-new', op: 'applyPatch', args: [input('new'), result('diffUnified')] },
  );
  return entries;
}

/** Entries for a hand-written patch applied to an original text. */
export function applyEntries() {
  return [
    { id: 'applyPatch', op: 'applyPatch', args: [input('original'), input('patch')] },
    { id: 'reversePatch', op: 'reversePatch', args: [input('patch')] },
    { id: 'applyPatch/reversed-onto-result', op: 'applyPatch', args: [result('applyPatch'), result('reversePatch')] },
  ];
}

export const HEAVY_CASES = new Set(['code-2k-1pct', 'code-2k-30pct', 'code-10k-1pct', 'code-10k-30pct']);
