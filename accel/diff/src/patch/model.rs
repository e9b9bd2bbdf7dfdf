//! A parsed patch, shaped like jsdiff's `StructuredPatch` (one per file of a multi-file patch).
//! Hunk lines borrow from the patch text; names, headers and modes are small and owned.

/// What a hunk line is, by its first code unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchLineKind {
    /// ` ` — a line both sides share.
    Context,
    /// `+`
    Added,
    /// `-`
    Removed,
    /// `\` — "\ No newline at end of file" (or anything else after a backslash).
    NoNewlineMarker,
    /// An empty line inside a hunk that is not the patch's last line: jsdiff counts it as an
    /// empty context line, but keeps it empty when printing.
    Blank,
}

impl PatchLineKind {
    /// The unit that starts a line of this kind (`None` for a blank line).
    pub fn marker(self) -> Option<u8> {
        match self {
            PatchLineKind::Context => Some(b' '),
            PatchLineKind::Added => Some(b'+'),
            PatchLineKind::Removed => Some(b'-'),
            PatchLineKind::NoNewlineMarker => Some(b'\\'),
            PatchLineKind::Blank => None,
        }
    }
}

/// One hunk line: its kind and the text after the marker unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatchLine<'a, T> {
    pub kind: PatchLineKind,
    pub rest: &'a [T],
}

/// A hunk. The starts are JavaScript numbers: a header the hunk regex does not match gives NaN,
/// and very long digit strings give huge or infinite values, all of which jsdiff carries on
/// computing with. After parsing, the line counts always equal the lines the hunk holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchHunk<'a, T> {
    pub old_start: f64,
    pub old_lines: usize,
    pub new_start: f64,
    pub new_lines: usize,
    pub lines: Vec<PatchLine<'a, T>>,
}

/// One file's patch. `None` names mean jsdiff's `undefined`; an empty header means no header.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredPatch<'a, T> {
    pub old_file_name: Option<Vec<T>>,
    pub new_file_name: Option<Vec<T>>,
    pub old_header: Vec<T>,
    pub new_header: Vec<T>,
    pub is_git: bool,
    pub is_rename: bool,
    pub is_copy: bool,
    pub is_create: bool,
    pub is_delete: bool,
    pub is_binary: bool,
    pub old_mode: Option<Vec<T>>,
    pub new_mode: Option<Vec<T>>,
    pub hunks: Vec<PatchHunk<'a, T>>,
}

impl<T> Default for StructuredPatch<'_, T> {
    fn default() -> Self {
        StructuredPatch {
            old_file_name: None,
            new_file_name: None,
            old_header: Vec::new(),
            new_header: Vec::new(),
            is_git: false,
            is_rename: false,
            is_copy: false,
            is_create: false,
            is_delete: false,
            is_binary: false,
            old_mode: None,
            new_mode: None,
            hunks: Vec::new(),
        }
    }
}
