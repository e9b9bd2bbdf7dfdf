//! jsdiff's Myers diff, reproduced step for step so that every tie between equally short edit
//! scripts is broken exactly as jsdiff breaks it (see `Diff.diffWithOptionsObj` in jsdiff's
//! `diff/base.js`). Callers snapshot jsdiff's patches, so a different but equally minimal
//! alignment would still be a regression for them.
//!
//! The frontier (`best_path`, one entry per diagonal) follows jsdiff's array exactly, including
//! the entries it clears or prunes, because stale entries from earlier rounds are read again
//! later. Instead of jsdiff's linked list of merged components, each extension of a path is one
//! 8-byte `Step` in an arena, and the component list is rebuilt from the winning chain at the end.

use imara_diff::Token;
use imara_diff::{Algorithm, Diff, InternedInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Equal,
    Removed,
    Added,
}

/// A run of lines: `count` tokens that are equal, removed from the old text or added in the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    pub kind: ChangeKind,
    pub count: usize,
}

/// Where the search gives up reproducing jsdiff: by then jsdiff itself would run for tens of
/// seconds (it spends about 250 ns a step), and the arena would hold 800 MB.
pub const MAX_STEPS: usize = 100_000_000;

/// The arena index of a path's last step; paths that made no edit yet have none.
const NO_STEP: u32 = u32::MAX;
const ADDED_FLAG: u32 = 1 << 31;

/// One edit (an insertion when the flag is set, else a deletion) followed by a run of equal lines.
#[derive(Clone, Copy)]
struct Step {
    previous: u32,
    snake_and_kind: u32,
}

#[derive(Clone, Copy)]
struct Path {
    old_pos: isize,
    last_step: u32,
}

/// The edit script jsdiff's `diffLines` finds between two interned line sequences, or `None`
/// when it needs more than [`MAX_STEPS`] path extensions.
pub fn diff(old: &[Token], new: &[Token]) -> Option<Vec<Component>> {
    let old_len = old.len() as isize;
    let new_len = new.len() as isize;
    let common_prefix = common_run(old, new, -1, -1);
    if common_prefix as isize >= old_len && common_prefix as isize >= new_len {
        return Some(equal_run(common_prefix).into_iter().collect());
    }

    let mut best_path = Frontier::new(old_len, new_len);
    best_path.set(
        0,
        Some(Path {
            old_pos: common_prefix as isize - 1,
            last_step: NO_STEP,
        }),
    );

    let mut steps: Vec<Step> = Vec::new();
    let mut min_diagonal = isize::MIN;
    let mut max_diagonal = isize::MAX;
    for edit_length in 1..=(old_len + new_len) {
        let mut diagonal = min_diagonal.max(-edit_length);
        let last_diagonal = max_diagonal.min(edit_length);
        while diagonal <= last_diagonal {
            // jsdiff clears the entry it extends downwards: nobody else reads it this round.
            let remove_path = best_path.take(diagonal - 1).filter(|path| path.old_pos + 1 < old_len);
            let add_path = best_path.get(diagonal + 1).filter(|path| {
                let new_pos_after_insert = path.old_pos - diagonal;
                (0..new_len).contains(&new_pos_after_insert)
            });
            let (start_old_pos, previous, added) = match (remove_path, add_path) {
                (None, None) => {
                    best_path.set(diagonal, None);
                    diagonal += 2;
                    continue;
                }
                (Some(remove), Some(add)) if remove.old_pos >= add.old_pos => {
                    (remove.old_pos + 1, remove.last_step, false)
                }
                (Some(remove), None) => (remove.old_pos + 1, remove.last_step, false),
                (_, Some(add)) => (add.old_pos, add.last_step, true),
            };

            let snake = common_run(old, new, start_old_pos, start_old_pos - diagonal);
            let old_pos = start_old_pos + snake as isize;
            let new_pos = old_pos - diagonal;
            if steps.len() >= MAX_STEPS {
                return None;
            }
            steps.push(Step {
                previous,
                snake_and_kind: snake as u32 | if added { ADDED_FLAG } else { 0 },
            });
            let last_step = (steps.len() - 1) as u32;
            if old_pos + 1 >= old_len && new_pos + 1 >= new_len {
                return Some(components(common_prefix, &steps, last_step));
            }
            best_path.set(diagonal, Some(Path { old_pos, last_step }));
            if old_pos + 1 >= old_len {
                max_diagonal = max_diagonal.min(diagonal - 1);
            }
            if new_pos + 1 >= new_len {
                min_diagonal = min_diagonal.max(diagonal + 1);
            }
            diagonal += 2;
        }
    }
    // A path always reaches the end within old_len + new_len edits.
    None
}

/// jsdiff's `bestPath`: one entry per diagonal k = old_pos - new_pos. Live paths stay on
/// diagonals in [-new_len, old_len]; reads outside find nothing, as reads of unset entries do in
/// jsdiff.
struct Frontier {
    slots: Vec<Option<Path>>,
    offset: isize,
}

impl Frontier {
    fn new(old_len: isize, new_len: isize) -> Self {
        Frontier {
            slots: vec![None; (old_len + new_len + 1) as usize],
            offset: new_len,
        }
    }

    fn index(&self, diagonal: isize) -> Option<usize> {
        usize::try_from(diagonal + self.offset)
            .ok()
            .filter(|&i| i < self.slots.len())
    }

    fn get(&self, diagonal: isize) -> Option<Path> {
        self.index(diagonal).and_then(|i| self.slots[i])
    }

    fn take(&mut self, diagonal: isize) -> Option<Path> {
        self.index(diagonal).and_then(|i| self.slots[i].take())
    }

    fn set(&mut self, diagonal: isize, path: Option<Path>) {
        if let Some(i) = self.index(diagonal) {
            self.slots[i] = path;
        }
    }
}

/// How many lines are equal from old[old_pos + 1] and new[new_pos + 1] on.
#[inline]
fn common_run(old: &[Token], new: &[Token], old_pos: isize, new_pos: isize) -> usize {
    let old_rest = &old[(old_pos + 1) as usize..];
    let new_rest = &new[(new_pos + 1) as usize..];
    old_rest
        .iter()
        .zip(new_rest)
        .take_while(|(a, b)| a == b)
        .count()
}

fn equal_run(count: usize) -> Option<Component> {
    (count > 0).then_some(Component {
        kind: ChangeKind::Equal,
        count,
    })
}

/// Rebuilds jsdiff's component list: consecutive edits of one kind merge, and every non-empty
/// run of equal lines is a component of its own.
fn components(common_prefix: usize, steps: &[Step], last_step: u32) -> Vec<Component> {
    let mut chain = Vec::new();
    let mut cursor = last_step;
    while cursor != NO_STEP {
        let step = steps[cursor as usize];
        chain.push(step);
        cursor = step.previous;
    }

    let mut result: Vec<Component> = equal_run(common_prefix).into_iter().collect();
    for step in chain.iter().rev() {
        let kind = if step.snake_and_kind & ADDED_FLAG != 0 {
            ChangeKind::Added
        } else {
            ChangeKind::Removed
        };
        match result.last_mut() {
            Some(last) if last.kind == kind => last.count += 1,
            _ => result.push(Component { kind, count: 1 }),
        }
        result.extend(equal_run((step.snake_and_kind & !ADDED_FLAG) as usize));
    }
    result
}

/// imara-diff's Myers script as jsdiff-style components: removals before insertions in each hunk.
pub fn imara_components<T>(input: &InternedInput<T>) -> Vec<Component> {
    let diff = Diff::compute(Algorithm::Myers, input);
    let mut result = Vec::new();
    let mut old_pos = 0;
    let push = |result: &mut Vec<Component>, kind, count: u32| {
        if count > 0 {
            result.push(Component {
                kind,
                count: count as usize,
            });
        }
    };
    for hunk in diff.hunks() {
        push(&mut result, ChangeKind::Equal, hunk.before.start - old_pos);
        push(&mut result, ChangeKind::Removed, hunk.before.end - hunk.before.start);
        push(&mut result, ChangeKind::Added, hunk.after.end - hunk.after.start);
        old_pos = hunk.before.end;
    }
    push(&mut result, ChangeKind::Equal, input.before.len() as u32 - old_pos);
    result
}
