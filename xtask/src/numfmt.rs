//! Number formatting shared by gate messages and reports.

/// A value with its unit, to 3 significant-ish digits: `4.21 ms`, `12.3x`, `1,234,567 instructions`.
pub fn fmt_value(value: f64, unit: &str) -> String {
    if unit == "x" {
        return format!("{}x", fmt_number(value));
    }
    if unit == "instructions" {
        return format!("{} instructions", fmt_count(value.round().max(0.0) as u64));
    }
    let (value, unit) = readable_time(value, unit);
    format!("{} {unit}", fmt_number(value))
}

/// Times under 1 of their unit move to a smaller one (a 263 ns call is not "0.000 ms").
fn readable_time(mut value: f64, unit: &str) -> (f64, &str) {
    const SMALLER: [(&str, &str); 4] = [("s", "ms"), ("ms", "µs"), ("us", "ns"), ("µs", "ns")];
    let mut unit = unit;
    while value != 0.0 && value.abs() < 1.0 {
        let Some(&(_, smaller)) = SMALLER.iter().find(|(from, _)| *from == unit) else {
            break;
        };
        value *= 1000.0;
        unit = smaller;
    }
    (value, unit)
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
        assert_eq!(fmt_value(0.000263, "ms"), "263 ns");
        assert_eq!(fmt_value(0.054, "ms"), "54.0 µs");
        assert_eq!(fmt_value(0.332, "ms"), "332 µs");
        assert_eq!(fmt_value(0.0, "ms"), "0 ms");
        assert_eq!(fmt_value(0.05, "x"), "0.050x");
    }
}
