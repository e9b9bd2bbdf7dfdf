//! Number formatting shared by gate messages and reports.

/// A value with its unit, to 3 significant-ish digits: `4.21 ms`, `12.3x`, `1,234,567 instructions`.
pub fn fmt_value(value: f64, unit: &str) -> String {
    if unit == "x" {
        return format!("{}x", fmt_number(value));
    }
    if unit == "instructions" {
        return format!("{} instructions", fmt_count(value.round().max(0.0) as u64));
    }
    format!("{} {unit}", fmt_number(value))
}

pub fn fmt_number(value: f64) -> String {
    let abs = value.abs();
    if abs >= 100.0 || abs == 0.0 {
        format!("{value:.0}")
    } else if abs >= 10.0 {
        format!("{value:.1}")
    } else if abs >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

pub fn fmt_count(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formatting() {
        assert_eq!(fmt_count(1_234_567), "1,234,567");
        assert_eq!(fmt_count(12), "12");
        assert_eq!(fmt_value(4.213, "ms"), "4.21 ms");
        assert_eq!(fmt_value(31.04, "x"), "31.0x");
        assert_eq!(fmt_value(4567.0, "ms"), "4567 ms");
        assert_eq!(fmt_value(1234.4, "instructions"), "1,234 instructions");
    }
}
