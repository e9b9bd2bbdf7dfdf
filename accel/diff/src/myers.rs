//! jsdiff's Myers diff, reproduced step for step so that every tie between equally short edit
//! scripts is broken exactly as jsdiff breaks it (see `Diff.diffWithOptionsObj` in jsdiff's
//! `diff/base.js`). Callers snapshot jsdiff's patches, so a different but equally minimal
//! alignment would still be a regression for them.
//!
//! The frontier (one entry per diagonal) follows jsdiff's `bestPath` array exactly, including the
//! entries it clears or prunes, because stale entries from earlier rounds are read again later.
//! Instead of jsdiff's linked list of merged components, each extension of a path is one 8-byte
//! `Step` in an arena, and the component list is rebuilt from the winning chain at the end.

use imara_diff::{Algorithm, Diff, InternedInput};

use crate::lines::{common_run, LineTable, TableLines};
use crate::unit::Unit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Equal,
    Removed,
    Added,
}

/// A run of lines: `count` lines that are equal, removed from the old text or added in the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    pub kind: ChangeKind,
    pub count: usize,
}

/// Where the search stops reproducing jsdiff: by then jsdiff itself would run for tens of
/// seconds (it spends about 250 ns a step), and the arena would hold 800 MB.
pub const MAX_STEPS: usize = 100_000_000;

/// Line counts above this do not fit the frontier's 32-bit positions.
const MAX_LINES: usize = (i32::MAX / 2) as usize;

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
    old_pos: i32,
    last_step: u32,
}

/// The edit script jsdiff's `diffLines` finds between two texts' lines, or `None` when it needs
/// more than [`MAX_STEPS`] path extensions.
pub fn diff<T: Unit>(old: &LineTable<'_, T>, new: &LineTable<'_, T>) -> Option<Vec<Component>> {
    if old.len() > MAX_LINES || new.len() > MAX_LINES {
        return None;
    }
    let old_len = old.len() as i32;
    let new_len = new.len() as i32;
    let common_prefix = common_run(old, 0, new, 0);
    if common_prefix >= old.len() && common_prefix >= new.len() {
        return Some(equal_run(common_prefix).into_iter().collect());
    }

    let mut best_path = Frontier::new(old_len, new_len);
    best_path.set(
        0,
        Some(Path {
            old_pos: common_prefix as i32 - 1,
            last_step: NO_STEP,
        }),
    );

    // Most diffs need a few steps per line; growing past that costs a copy or two.
    let mut steps: Vec<Step> = Vec::with_capacity(4 * (old.len() + new.len()));
    let mut min_diagonal = i32::MIN;
    let mut max_diagonal = i32::MAX;
    for edit_length in 1..=(old_len + new_len) {
        let mut diagonal = min_diagonal.max(-edit_length);
        let last_diagonal = max_diagonal.min(edit_length);
        while diagonal <= last_diagonal {
            // jsdiff clears the entry it extends downwards: nobody else reads it this round.
            let remove_path = best_path
                .take(diagonal - 1)
                .filter(|path| path.old_pos + 1 < old_len);
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

            let snake = common_run(
                old,
                (start_old_pos + 1) as usize,
                new,
                (start_old_pos - diagonal + 1) as usize,
            );
            let old_pos = start_old_pos + snake as i32;
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

/// jsdiff's `bestPath`: one entry per diagonal k = old_pos - new_pos. Paths stay on diagonals
/// in [-new_len, old_len] (the outermost paths reach an edge, which narrows the search, before
/// the search could leave that range); reads one step outside find nothing, as reads of unset
/// entries do in jsdiff. An empty entry is a path with `old_pos == EMPTY`.
struct Frontier {
    slots: Vec<Path>,
    offset: i32,
}

const EMPTY: i32 = i32::MIN;

impl Frontier {
    fn new(old_len: i32, new_len: i32) -> Self {
        let empty = Path {
            old_pos: EMPTY,
            last_step: NO_STEP,
        };
        Frontier {
            slots: vec![empty; (old_len + new_len + 3) as usize],
            offset: new_len + 1,
        }
    }

    #[inline]
    fn slot(&mut self, diagonal: i32) -> Option<&mut Path> {
        // Never negative for the diagonals the search visits (see above); `get_mut` keeps a
        // broken invariant from becoming anything worse than an empty read.
        self.slots.get_mut((diagonal + self.offset) as usize)
    }

    #[inline]
    fn get(&mut self, diagonal: i32) -> Option<Path> {
        self.slot(diagonal)
            .map(|path| *path)
            .filter(|path| path.old_pos != EMPTY)
    }

    #[inline]
    fn take(&mut self, diagonal: i32) -> Option<Path> {
        let path = self.get(diagonal)?;
        self.set(diagonal, None);
        Some(path)
    }

    #[inline]
    fn set(&mut self, diagonal: i32, path: Option<Path>) {
        if let Some(slot) = self.slot(diagonal) {
            slot.old_pos = path.map_or(EMPTY, |path| path.old_pos);
            slot.last_step = path.map_or(NO_STEP, |path| path.last_step);
        }
    }
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

/// imara-diff's Myers script as components, removals before insertions in each hunk: the
/// answer for inputs past [`MAX_STEPS`].
pub fn imara_components<T: Unit>(old: &LineTable<'_, T>, new: &LineTable<'_, T>) -> Vec<Component> {
    let input = InternedInput::new(TableLines(old), TableLines(new));
    let diff = Diff::compute(Algorithm::Myers, &input);
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
        push(
            &mut result,
            ChangeKind::Removed,
            hunk.before.end - hunk.before.start,
        );
        push(
            &mut result,
            ChangeKind::Added,
            hunk.after.end - hunk.after.start,
        );
        old_pos = hunk.before.end;
    }
    push(
        &mut result,
        ChangeKind::Equal,
        input.before.len() as u32 - old_pos,
    );
    result
}
