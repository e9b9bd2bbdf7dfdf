//! Random old/new text pairs for the property tests: lines drawn from a small alphabet (so they
//! repeat and alignment ties matter), empty lines, non-ASCII, patch-like lines, CRLF endings,
//! missing final newlines, and sometimes lone surrogates. Cases are plain indices so that proptest
//! shrinks them to small, readable counterexamples.

use proptest::prelude::*;

const POOL: &[&str] = &[
    "a",
    "b",
    "c",
    "",
    " ",
    "}",
    "    return x;",
    "ünïcødé",
    "😀 emoji",
    "\t",
    "a\r",
    "--- x",
    "+++ y",
    "@@ -1 +1 @@",
    "\\ No newline at end of file",
    "-",
    "+",
    " x",
    "Index: f",
    "===================================================================",
    "diff --git a/x b/x",
];

const LONE_SURROGATE_LINES: &[&[u16]] = &[&[0xd800], &[0x61, 0xdc00], &[0xdbff, 0xdbff, 0x62]];

/// File names for createTwoFilesPatch: plain, and ones that need C-style quoting.
pub const NAMES: &[&str] = &[
    "original",
    "a/src/x.ts",
    "a b\t.txt",
    "ünï.txt",
    "q\"uote\\d",
    "",
    "same",
];
pub const HEADERS: &[&str] = &["", "2024-01-01 00:00:00 +0000", "h\tx"];

#[derive(Clone, Debug)]
pub enum Edit {
    Keep,
    Delete,
    Insert { line: usize, crlf: bool },
    Replace { line: usize, crlf: bool },
}

#[derive(Clone, Debug)]
pub struct Case {
    pub alphabet: Vec<Vec<u16>>,
    pub old: Vec<(usize, bool)>,
    pub edits: Vec<Edit>,
    /// When set, the new text is unrelated to the old one.
    pub unrelated_new: Option<Vec<(usize, bool)>>,
    pub old_final_newline: bool,
    pub new_final_newline: bool,
    /// Edits that turn the old text into a look-alike, for applying a patch to text it was not
    /// made from (applyPatch then searches for where each hunk fits, or fails).
    pub drift: Vec<Edit>,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => Just(Edit::Keep),
        2 => Just(Edit::Delete),
        2 => (any::<usize>(), prop::bool::weighted(0.15)).prop_map(|(line, crlf)| Edit::Insert { line, crlf }),
        2 => (any::<usize>(), prop::bool::weighted(0.15)).prop_map(|(line, crlf)| Edit::Replace { line, crlf }),
    ]
}

fn lines(max: usize) -> impl Strategy<Value = Vec<(usize, bool)>> {
    prop::collection::vec((any::<usize>(), prop::bool::weighted(0.15)), 0..max)
}

fn alphabet(lone_surrogates: f64) -> impl Strategy<Value = Vec<Vec<u16>>> {
    (
        prop::collection::vec(0..POOL.len(), 1..=5),
        0.0..1.0f64,
        0..LONE_SURROGATE_LINES.len(),
    )
        .prop_map(move |(picks, draw, lone)| {
            let mut alphabet: Vec<Vec<u16>> = picks
                .iter()
                .map(|&i| POOL[i].encode_utf16().collect())
                .collect();
            if draw < lone_surrogates {
                alphabet.push(LONE_SURROGATE_LINES[lone].to_vec());
            }
            alphabet
        })
}

/// A case of up to 24 lines; `lone_surrogates` is the share of cases whose alphabet has an
/// ill-formed line.
pub fn case(lone_surrogates: f64) -> impl Strategy<Value = Case> {
    case_of_size(lone_surrogates, 24)
}

/// A case of up to `max_lines` lines.
pub fn case_of_size(lone_surrogates: f64, max_lines: usize) -> impl Strategy<Value = Case> {
    (
        alphabet(lone_surrogates),
        lines(max_lines),
        prop::collection::vec(edit(), 0..max_lines),
        prop::option::weighted(0.1, lines(max_lines / 2)),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.85),
        prop::collection::vec(edit(), 0..6),
    )
        .prop_map(
            |(alphabet, old, edits, unrelated_new, old_final_newline, new_final_newline, drift)| {
                Case {
                    alphabet,
                    old,
                    edits,
                    unrelated_new,
                    old_final_newline,
                    new_final_newline,
                    drift,
                }
            },
        )
}

impl Case {
    fn line(&self, index: usize, crlf: bool) -> (Vec<u16>, bool) {
        (self.alphabet[index % self.alphabet.len()].clone(), crlf)
    }

    fn join(lines: &[(Vec<u16>, bool)], final_newline: bool) -> Vec<u16> {
        let mut text = Vec::new();
        for (i, (line, crlf)) in lines.iter().enumerate() {
            text.extend_from_slice(line);
            if i + 1 < lines.len() || final_newline {
                if *crlf {
                    text.push(u16::from(b'\r'));
                }
                text.push(u16::from(b'\n'));
            }
        }
        text
    }

    fn old_lines(&self) -> Vec<(Vec<u16>, bool)> {
        self.old
            .iter()
            .map(|&(i, crlf)| self.line(i, crlf))
            .collect()
    }

    /// `lines` with `edits` applied in order; lines past the last edit are kept.
    fn edited(&self, lines: &[(Vec<u16>, bool)], edits: &[Edit]) -> Vec<(Vec<u16>, bool)> {
        let mut out = Vec::new();
        let mut next = 0;
        for edit in edits {
            match *edit {
                Edit::Keep if next < lines.len() => {
                    out.push(lines[next].clone());
                    next += 1;
                }
                Edit::Delete if next < lines.len() => next += 1,
                Edit::Insert { line, crlf } => out.push(self.line(line, crlf)),
                Edit::Replace { line, crlf } => {
                    out.push(self.line(line, crlf));
                    next += 1;
                }
                _ => {}
            }
        }
        out.extend(lines.iter().skip(next).cloned());
        out
    }

    /// The old and new texts as UTF-16 code units.
    pub fn texts(&self) -> (Vec<u16>, Vec<u16>) {
        let old = self.old_lines();
        let new = match &self.unrelated_new {
            Some(lines) => lines.iter().map(|&(i, crlf)| self.line(i, crlf)).collect(),
            None => self.edited(&old, &self.edits),
        };
        (
            Self::join(&old, self.old_final_newline),
            Self::join(&new, self.new_final_newline),
        )
    }

    /// A look-alike of the old text (see [`Case::drift`]).
    pub fn drifted_old(&self) -> Vec<u16> {
        Self::join(
            &self.edited(&self.old_lines(), &self.drift),
            self.old_final_newline,
        )
    }
}

/// A small change to a patch's text, to reach the parser's and applier's error paths.
#[derive(Clone, Debug)]
pub enum PatchMutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    BumpHeaderDigit(usize),
    SwapLines(usize),
    ChangeLinePrefix(usize, char),
    Truncate(usize),
    InsertBlankLine(usize),
    CrlfEverywhere,
}

pub fn patch_mutation() -> impl Strategy<Value = PatchMutation> {
    prop_oneof![
        any::<usize>().prop_map(PatchMutation::DeleteLine),
        any::<usize>().prop_map(PatchMutation::DuplicateLine),
        any::<usize>().prop_map(PatchMutation::BumpHeaderDigit),
        any::<usize>().prop_map(PatchMutation::SwapLines),
        (
            any::<usize>(),
            prop::sample::select(vec![' ', '+', '-', 'x', '\\'])
        )
            .prop_map(|(at, prefix)| PatchMutation::ChangeLinePrefix(at, prefix)),
        any::<usize>().prop_map(PatchMutation::Truncate),
        any::<usize>().prop_map(PatchMutation::InsertBlankLine),
        Just(PatchMutation::CrlfEverywhere),
    ]
}

/// Applies `mutations` one after the other.
pub fn mutate(patch: &[u16], mutations: &[PatchMutation]) -> Vec<u16> {
    mutations
        .iter()
        .fold(patch.to_vec(), |patch, mutation| mutation.apply(&patch))
}

impl PatchMutation {
    pub fn apply(&self, patch: &[u16]) -> Vec<u16> {
        let newline = u16::from(b'\n');
        let mut lines: Vec<Vec<u16>> = patch
            .split(|&u| u == newline)
            .map(<[u16]>::to_vec)
            .collect();
        let n = lines.len();
        match *self {
            PatchMutation::DeleteLine(at) => {
                lines.remove(at % n);
            }
            PatchMutation::DuplicateLine(at) => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            PatchMutation::BumpHeaderDigit(at) => {
                let headers: Vec<usize> = (0..n)
                    .filter(|&i| lines[i].starts_with(&[0x40, 0x40]))
                    .collect();
                if let Some(&i) = headers.get(at % headers.len().max(1)) {
                    let digits: Vec<usize> = (0..lines[i].len())
                        .filter(|&j| (0x30..=0x39).contains(&lines[i][j]))
                        .collect();
                    if let Some(&j) = digits.get(at % digits.len().max(1)) {
                        lines[i][j] = 0x30 + (lines[i][j] - 0x30 + 1) % 10;
                    }
                }
            }
            PatchMutation::SwapLines(at) => {
                if n >= 2 {
                    lines.swap(at % (n - 1), at % (n - 1) + 1);
                }
            }
            PatchMutation::ChangeLinePrefix(at, prefix) => {
                let line = &mut lines[at % n];
                let unit = prefix as u16;
                if line.is_empty() {
                    line.push(unit);
                } else {
                    line[0] = unit;
                }
            }
            PatchMutation::Truncate(at) => {
                return patch[..at % (patch.len() + 1)].to_vec();
            }
            PatchMutation::InsertBlankLine(at) => lines.insert(at % (n + 1), Vec::new()),
            PatchMutation::CrlfEverywhere => {
                for line in lines.iter_mut().take(n.saturating_sub(1)) {
                    line.push(u16::from(b'\r'));
                }
            }
        }
        lines.join(&newline)
    }
}
