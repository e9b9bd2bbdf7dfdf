//! The pieces of jsdiff's `formatPatch` text that every patch printer shares: the index and file
//! header lines, C-style quoting of file names, and hunk headers.

use crate::unit::{push_ascii, push_decimal, Unit};

pub const UNDERLINE: &str = "===================================================================";

/// jsdiff quotes a file name when any UTF-16 unit is a control character, outside printable
/// ASCII, a double quote or a backslash.
pub fn needs_quoting(name: &str) -> bool {
    name.bytes()
        .any(|b| !(0x20..=0x7e).contains(&b) || b == b'"' || b == b'\\')
}

/// The name as Git and GNU diff print it: as is when nothing needs quoting, else in double quotes
/// with C escapes and every other non-printable byte of its UTF-8 form as a 3-digit octal escape.
pub fn quote_file_name_if_needed(name: &str) -> String {
    if !needs_quoting(name) {
        return name.to_owned();
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for byte in name.bytes() {
        match byte {
            0x07 => quoted.push_str("\\a"),
            0x08 => quoted.push_str("\\b"),
            b'\t' => quoted.push_str("\\t"),
            b'\n' => quoted.push_str("\\n"),
            0x0b => quoted.push_str("\\v"),
            0x0c => quoted.push_str("\\f"),
            b'\r' => quoted.push_str("\\r"),
            b'"' => quoted.push_str("\\\""),
            b'\\' => quoted.push_str("\\\\"),
            0x20..=0x7e => quoted.push(char::from(byte)),
            _ => quoted.push_str(&format!("\\{byte:03o}")),
        }
    }
    quoted.push('"');
    quoted
}

/// File names and optional headers (the text after a tab on the `---`/`+++` lines).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileHeaders<'a> {
    pub old_file_name: Option<&'a str>,
    pub new_file_name: Option<&'a str>,
    pub old_header: Option<&'a str>,
    pub new_header: Option<&'a str>,
}

/// Writes the lines jsdiff's `formatPatch` puts before the first hunk of a non-Git patch with
/// its default header options: `Index:` when both names are equal, the underline, then the
/// `---`/`+++` lines when both names are known. Each line ends in `\n`.
pub fn push_file_headers<T: Unit>(out: &mut Vec<T>, headers: &FileHeaders<'_>) {
    if let (Some(old), Some(new)) = (headers.old_file_name, headers.new_file_name) {
        if old == new {
            push_str_line(out, &format!("Index: {old}"));
        }
    }
    push_str_line(out, UNDERLINE);
    if let (Some(old), Some(new)) = (headers.old_file_name, headers.new_file_name) {
        push_file_line(out, "--- ", old, headers.old_header);
        push_file_line(out, "+++ ", new, headers.new_header);
    }
}

fn push_file_line<T: Unit>(out: &mut Vec<T>, marker: &str, name: &str, header: Option<&str>) {
    push_ascii(out, marker);
    push_str(out, &quote_file_name_if_needed(name));
    // jsdiff tests the header for truthiness: an empty header prints no tab.
    if let Some(header) = header.filter(|h| !h.is_empty()) {
        out.push(T::from_ascii(b'\t'));
        push_str(out, header);
    }
    out.push(T::from_ascii(b'\n'));
}

/// `@@ -a,b +c,d @@\n`. `old_start`/`new_start` are jsdiff's hunk fields: for an empty side they
/// name the line after the gap, and the header prints the line before it.
pub fn push_hunk_header<T: Unit>(
    out: &mut Vec<T>,
    old_start: usize,
    old_lines: usize,
    new_start: usize,
    new_lines: usize,
) {
    push_ascii(out, "@@ -");
    push_decimal(out, header_start(old_start, old_lines));
    out.push(T::from_ascii(b','));
    push_decimal(out, old_lines);
    push_ascii(out, " +");
    push_decimal(out, header_start(new_start, new_lines));
    out.push(T::from_ascii(b','));
    push_decimal(out, new_lines);
    push_ascii(out, " @@\n");
}

/// The start printed in a hunk header for a side that begins at `start` and spans `lines` lines.
pub fn header_start(start: usize, lines: usize) -> usize {
    if lines == 0 {
        start.saturating_sub(1)
    } else {
        start
    }
}

/// Appends arbitrary (possibly non-ASCII) Rust text to a code-unit buffer.
pub fn push_str<T: Unit>(out: &mut Vec<T>, text: &str) {
    T::extend_from_str(out, text);
}

fn push_str_line<T: Unit>(out: &mut Vec<T>, text: &str) {
    push_str(out, text);
    out.push(T::from_ascii(b'\n'));
}

/// [`needs_quoting`] for a name held as code units (checked unit by unit, as jsdiff does).
pub fn units_need_quoting<T: Unit>(name: &[T]) -> bool {
    name.iter().any(|&unit| match unit.to_ascii() {
        Some(b) => !(0x20..=0x7e).contains(&b) || b == b'"' || b == b'\\',
        None => true,
    })
}

/// Appends [`quote_file_name_if_needed`] of a name held as code units. A name that needs no
/// quoting is printable ASCII and is copied as is; one that does is encoded to UTF-8 first, with
/// lone surrogates becoming U+FFFD as `TextEncoder` makes them.
pub fn push_quoted_file_name<T: Unit>(out: &mut Vec<T>, name: &[T]) {
    if units_need_quoting(name) {
        push_str(out, &quote_file_name_if_needed(&T::to_string_lossy(name)));
    } else {
        out.extend_from_slice(name);
    }
}

/// `diff --git <old> <new>\n`, both names quoted if needed.
pub fn push_git_diff_line<T: Unit>(out: &mut Vec<T>, old_name: &[T], new_name: &[T]) {
    push_ascii(out, "diff --git ");
    push_quoted_file_name(out, old_name);
    out.push(T::from_ascii(b' '));
    push_quoted_file_name(out, new_name);
    out.push(T::from_ascii(b'\n'));
}

/// A Git extended header line with a mode: `new file mode 100644\n`, `old mode 100755\n`, ...
pub fn push_git_mode_line<T: Unit>(out: &mut Vec<T>, label: &str, mode: &[T]) {
    push_ascii(out, label);
    out.push(T::from_ascii(b' '));
    out.extend_from_slice(mode);
    out.push(T::from_ascii(b'\n'));
}

/// A Git extended header line with a path: `rename from <name>\n`, `copy to <name>\n`, ...
pub fn push_git_path_line<T: Unit>(out: &mut Vec<T>, label: &str, name: &[T]) {
    push_ascii(out, label);
    out.push(T::from_ascii(b' '));
    push_quoted_file_name(out, name);
    out.push(T::from_ascii(b'\n'));
}
