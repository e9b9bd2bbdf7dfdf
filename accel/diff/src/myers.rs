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

/// The edit script jsdiff's `diffLines` finds between two texts' lines, or `None` when it needs
/// more than `max_steps` path extensions ([`MAX_STEPS`] outside tests).
pub fn diff<T: Unit>(
    old: &LineTable<'_, T>,
    new: &LineTable<'_, T>,
    max_steps: usize,
) -> Option<Vec<Component>> {
    if old.len() > MAX_LINES || new.len() > MAX_LINES {
        return None;
    }
    let old_len = old.len() as i32;
    let new_len = new.len() as i32;
    let common_prefix = common_run(old, 0, new, 0);
    if common_prefix >= old.len() && common_prefix >= new.len() {
        return Some(equal_run(common_prefix).into_iter().collect());
    }

    let mut frontier = Frontier::new(old_len, new_len);
    let offset = frontier.offset;
    let slot_of = |diagonal: i64| (diagonal + offset) as usize;
    // A plain slice in the hot loop lets the compiler keep its bounds in a register.
    let best_path = &mut frontier.slots[..];
    best_path[slot_of(0)].old_pos = common_prefix as i32 - 1;
    let (old_fingerprints, new_fingerprints) = (old.fingerprints(), new.fingerprints());
    let (old_len, new_len) = (i64::from(old_len), i64::from(new_len));
    let mut steps: Vec<Step> = Vec::with_capacity(4 * (old.len() + new.len()));
    let mut min_diagonal = i64::MIN;
    let mut max_diagonal = i64::MAX;
    for edit_length in 1..=(old_len + new_len) {
        let mut diagonal = min_diagonal.max(-edit_length);
        // jsdiff re-reads its upper bound on every iteration: reaching the old text's end
        // ends the round at once.
        while diagonal <= max_diagonal.min(edit_length) {
            if !(-new_len..=old_len).contains(&diagonal) {
                // Unreachable (the outermost paths narrow the bounds first); a guard, not a case.
                diagonal += 2;
                continue;
            }
            let slot = slot_of(diagonal);
            // jsdiff clears the entry it extends downwards: nobody else reads it this round.
            let remove = std::mem::replace(&mut best_path[slot - 1], Slot::EMPTY);
            let add = best_path[slot + 1];
            // An empty slot's position (EMPTY) is past every bound, so it fails both tests.
            let remove_pos = i64::from(remove.old_pos);
            let add_pos = i64::from(add.old_pos);
            let can_remove = remove_pos + 1 < old_len;
            let can_add = (0..new_len).contains(&(add_pos - diagonal));
            if !can_add && !can_remove {
                best_path[slot] = Slot::EMPTY;
                diagonal += 2;
                continue;
            }
            let added = can_add && (!can_remove || remove_pos < add_pos);
            let (start_old_pos, previous) = if added {
                (add_pos, add.last_step)
            } else {
                (remove_pos + 1, remove.last_step)
            };

            let (old_next, new_next) = (
                (start_old_pos + 1) as usize,
                (start_old_pos - diagonal + 1) as usize,
            );
            // Most extensions stop at once; the fingerprints tell without touching the text.
            let snake = if old_next < old.len()
                && new_next < new.len()
                && old_fingerprints[old_next] == new_fingerprints[new_next]
            {
                common_run(old, old_next, new, new_next)
            } else {
                0
            };
            let old_pos = start_old_pos + snake as i64;
            let new_pos = old_pos - diagonal;
            if steps.len() >= max_steps {
                return None;
            }
            steps.push(Step {
                previous,
                snake_and_kind: snake as u32 | if added { ADDED_FLAG } else { 0 },
            });
            let last_step = (steps.len() - 1) as u32;
            let (at_old_end, at_new_end) = (old_pos + 1 >= old_len, new_pos + 1 >= new_len);
            if at_old_end && at_new_end {
                return Some(components(common_prefix, &steps, last_step));
            }
            best_path[slot] = Slot {
                old_pos: old_pos as i32,
                last_step,
            };
            if at_old_end {
                max_diagonal = max_diagonal.min(diagonal - 1);
            }
            if at_new_end {
                min_diagonal = min_diagonal.max(diagonal + 1);
            }
            diagonal += 2;
        }
    }
    // A path always reaches the end within old_len + new_len edits.
    None
}

/// jsdiff's `bestPath`: for each diagonal k = old_pos - new_pos, the furthest path on it. Paths
/// stay on diagonals in [-new_len, old_len] (the outermost paths reach an edge, which narrows
/// the search, before it could leave that range), so with one spare slot at each end the
/// neighbours k - 1 and k + 1 always exist; the spares stay empty, as reads of unset entries
/// find nothing in jsdiff.
struct Frontier {
    slots: Vec<Slot>,
    offset: i64,
}

/// A path's furthest old position and last step, or [`Slot::EMPTY`].
#[derive(Clone, Copy)]
struct Slot {
    old_pos: i32,
    last_step: u32,
}

impl Slot {
    /// No path. Its position is beyond any text (lines are capped at `MAX_LINES`), so the
    /// bounds tests that decide whether a path can be extended reject it by themselves.
    const EMPTY: Slot = Slot {
        old_pos: i32::MAX,
        last_step: NO_STEP,
    };
}

impl Frontier {
    fn new(old_len: i32, new_len: i32) -> Self {
        Frontier {
            slots: vec![Slot::EMPTY; (old_len + new_len + 3) as usize],
            offset: i64::from(new_len) + 1,
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
