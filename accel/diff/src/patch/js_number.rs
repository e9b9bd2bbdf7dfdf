//! `Number.prototype.toString()` for the numbers jsdiff prints in hunk headers, which may be
//! NaN, huge or infinite when a patch's header is malformed.

use crate::unit::Unit;

pub fn js_number_to_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return "0".to_owned(); // also for -0
    }
    let magnitude = value.abs();
    if (1e-6..1e21).contains(&magnitude) {
        // Both languages print the shortest round-tripping digits here, without an exponent.
        return format!("{value}");
    }
    // JavaScript writes the exponent's sign: 1e+21, 1.5e-7.
    let exponential = format!("{value:e}");
    match exponential.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => {
            format!("{mantissa}e+{exponent}")
        }
        _ => exponential,
    }
}

pub fn push_js_number<T: Unit>(out: &mut Vec<T>, value: f64) {
    out.extend(js_number_to_string(value).bytes().map(T::from_ascii));
}

#[cfg(test)]
mod tests {
    use super::js_number_to_string as s;

    #[test]
    fn prints_like_javascript() {
        assert_eq!(s(f64::NAN), "NaN");
        assert_eq!(s(f64::INFINITY), "Infinity");
        assert_eq!(s(-0.0), "0");
        assert_eq!(s(-1.0), "-1");
        assert_eq!(s(42.0), "42");
        assert_eq!(s(12345678901234567890.0), "12345678901234567000");
        assert_eq!(s(1e21), "1e+21");
        assert_eq!(s(1.2345e25), "1.2345e+25");
        assert_eq!(s(1.5e-7), "1.5e-7");
        assert_eq!(s(0.000001), "0.000001");
        assert_eq!(s(1e300), "1e+300");
    }
}
