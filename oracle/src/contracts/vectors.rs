//! The vector-similarity track's contract (see `oracle/CONTRACTS.md`): the calls the engine must
//! answer as `@ku0/vector-similarity-rs/fallback` does, their wire form (the markers of
//! `oracle/js/vectors-wire.mjs`), and what "equal" means: within [`tolerance`], exactly on
//! errors, NaN and infinities, and top-k lists in the same order except where scores tie.

use serde_json::Number;

use crate::live::Request;
use crate::value::{JsError, JsValue};

pub const TRACK: &str = "vectors";
/// The reference implementation the live oracle must report.
pub const REFERENCE: &str = "the JS loops of @ku0/vector-similarity-rs/fallback";

/// The largest difference allowed between the engine's and the fallback's cosine similarity of
/// `dimension`-d vectors; relative to `|a|·|b|` for a dot product, to the distance for euclidean.
/// Both sum in f64, in different orders: each sum moves by at most `dimension · 2⁻⁵³` of its
/// magnitude, the quotient by twice that; this bound has room on top: 2.0e-12 at 4,096.
pub fn tolerance(dimension: usize) -> f64 {
    5e-16 * dimension.max(16) as f64
}

/// `tolerance · scale`, or 0 where the scale itself overflows (∞, or ∞ · 0): the engine then
/// computes with the fallback's own loop, so the answers must be identical.
pub fn bounded(tolerance: f64, scale: f64) -> f64 {
    let bound = tolerance * scale;
    if bound.is_finite() {
        bound
    } else {
        0.0
    }
}

/// `actual` is `expected` within `bound`, or both are the same special value (NaN, ±∞).
pub fn agrees(actual: f64, expected: f64, bound: f64) -> bool {
    if expected.is_nan() || actual.is_nan() {
        return expected.is_nan() && actual.is_nan();
    }
    if expected.is_infinite() || actual.is_infinite() {
        return expected == actual;
    }
    (actual - expected).abs() <= bound
}

/// A vector argument: a Float32Array, or a Float64Array (which `number[]` travel as).
#[derive(Clone, Debug, PartialEq)]
pub enum Vector {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Vector {
    pub fn len(&self) -> usize {
        match self {
            Vector::F32(v) => v.len(),
            Vector::F64(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values as the fallback reads them: doubles.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Vector::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Vector::F64(v) => v.clone(),
        }
    }

    fn to_js(&self) -> JsValue {
        let (key, bytes) = match self {
            Vector::F32(v) => ("$f32", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
            Vector::F64(v) => (
                "$f64",
                v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>(),
            ),
        };
        JsValue::object([(key, JsValue::string(base64::encode(&bytes).as_str()))])
    }

    fn from_js(value: &JsValue, what: &str) -> Result<Self, String> {
        let (key, payload) = value.marker().ok_or_else(|| {
            format!(
                "{what} must be a $f32 or $f64 marker, got {}",
                value.canonical_json()
            )
        })?;
        let text = payload
            .as_text()
            .and_then(|t| t.to_string_checked())
            .ok_or_else(|| format!("{what}: {key} holds a base64 string"))?;
        let bytes = base64::decode(&text).map_err(|err| format!("{what}: {err}"))?;
        match key {
            "$f32" if bytes.len() % 4 == 0 => Ok(Vector::F32(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                    .collect(),
            )),
            "$f64" if bytes.len() % 8 == 0 => Ok(Vector::F64(
                bytes
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect(),
            )),
            _ => Err(format!(
                "{what}: {key} with {} bytes is not a vector",
                bytes.len()
            )),
        }
    }
}

/// What a store search ranks by, as the JS API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Cosine,
    Dot,
    Euclidean,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::Cosine => "cosine",
            Metric::Dot => "dot",
            Metric::Euclidean => "euclidean",
        }
    }

    fn from_name(name: &str) -> Option<Metric> {
        [Metric::Cosine, Metric::Dot, Metric::Euclidean]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// `search(query, k, metric)`; `k: None` is `Infinity` (every row).
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    pub query: Vector,
    pub k: Option<usize>,
    pub metric: Metric,
}

/// One call of the vector API.
#[derive(Clone, Debug, PartialEq)]
pub enum VectorCall {
    CosineSimilarity {
        a: Vector,
        b: Vector,
    },
    EuclideanDistance {
        a: Vector,
        b: Vector,
    },
    CosineSimilarityBatch {
        query: Vector,
        targets: Vec<Vector>,
    },
    /// A `VectorStore` of dimension `dimension` filled from the row-major `flat`, then each search.
    StoreSearch {
        flat: Vec<f32>,
        dimension: usize,
        searches: Vec<Search>,
    },
}

impl VectorCall {
    pub fn op(&self) -> &'static str {
        match self {
            VectorCall::CosineSimilarity { .. } => "cosineSimilarity",
            VectorCall::EuclideanDistance { .. } => "euclideanDistance",
            VectorCall::CosineSimilarityBatch { .. } => "cosineSimilarityBatch",
            VectorCall::StoreSearch { .. } => "VectorStore.search",
        }
    }

    /// Reads a recorded call; fails, naming the argument, on anything outside the engine's API.
    pub fn from_js(op: &str, args: &[JsValue]) -> Result<Self, String> {
        let arg = |i: usize| args.get(i).unwrap_or(&JsValue::Undefined);
        let vector = |i: usize| Vector::from_js(arg(i), &format!("{op}: argument {i}"));
        Ok(match op {
            "cosineSimilarity" => VectorCall::CosineSimilarity {
                a: vector(0)?,
                b: vector(1)?,
            },
            "euclideanDistance" => VectorCall::EuclideanDistance {
                a: vector(0)?,
                b: vector(1)?,
            },
            "cosineSimilarityBatch" => VectorCall::CosineSimilarityBatch {
                query: vector(0)?,
                targets: array(arg(1), "cosineSimilarityBatch: targets")?
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Vector::from_js(t, &format!("target {i}")))
                    .collect::<Result<_, _>>()?,
            },
            "VectorStore.search" => {
                let Vector::F32(flat) = vector(0)? else {
                    return Err("VectorStore.search: the rows must be a $f32 marker".to_owned());
                };
                let dimension = arg(1)
                    .as_u64()
                    .and_then(|d| usize::try_from(d).ok())
                    .filter(|&d| d > 0 && flat.len() % d == 0)
                    .ok_or_else(|| {
                        format!(
                            "VectorStore.search: bad dimension {}",
                            arg(1).canonical_json()
                        )
                    })?;
                let searches = array(arg(2), "VectorStore.search: searches")?
                    .iter()
                    .map(search_from_js)
                    .collect::<Result<_, _>>()?;
                VectorCall::StoreSearch {
                    flat,
                    dimension,
                    searches,
                }
            }
            other => return Err(format!("unknown vectors op {other:?}")),
        })
    }

    /// The same call for the live oracle.
    pub fn to_request(&self) -> Request {
        let args = match self {
            VectorCall::CosineSimilarity { a, b } | VectorCall::EuclideanDistance { a, b } => {
                vec![a.to_js(), b.to_js()]
            }
            VectorCall::CosineSimilarityBatch { query, targets } => {
                vec![
                    query.to_js(),
                    JsValue::Array(targets.iter().map(Vector::to_js).collect()),
                ]
            }
            VectorCall::StoreSearch {
                flat,
                dimension,
                searches,
            } => vec![
                Vector::F32(flat.clone()).to_js(),
                JsValue::uint(*dimension as u64),
                JsValue::Array(
                    searches
                        .iter()
                        .map(|s| {
                            JsValue::object([
                                ("query", s.query.to_js()),
                                (
                                    "k",
                                    s.k.map_or_else(
                                        || number_to_js(f64::INFINITY),
                                        |k| JsValue::uint(k as u64),
                                    ),
                                ),
                                ("metric", JsValue::string(s.metric.name())),
                            ])
                        })
                        .collect(),
                ),
            ],
        };
        Request::new(TRACK, self.op(), args)
    }

    /// The call in a few words, for failure messages.
    pub fn describe(&self) -> String {
        let kind = |v: &Vector| match v {
            Vector::F32(v) => format!("Float32Array({})", v.len()),
            Vector::F64(v) => format!("Float64Array({})", v.len()),
        };
        match self {
            VectorCall::CosineSimilarity { a, b } | VectorCall::EuclideanDistance { a, b } => {
                format!(
                    "{}({}, {}) a={:?} b={:?}",
                    self.op(),
                    kind(a),
                    kind(b),
                    abbreviated(a),
                    abbreviated(b)
                )
            }
            VectorCall::CosineSimilarityBatch { query, targets } => {
                format!(
                    "cosineSimilarityBatch({}, {} targets)",
                    kind(query),
                    targets.len()
                )
            }
            VectorCall::StoreSearch {
                flat,
                dimension,
                searches,
            } => format!(
                "VectorStore of {} rows x {dimension}, {} searches",
                flat.len() / dimension,
                searches.len()
            ),
        }
    }

    /// What the call returns, read from the oracle's (or a recording's) JSON.
    pub fn output_from_js(&self, value: &JsValue) -> Result<Output, String> {
        match self {
            VectorCall::CosineSimilarity { .. } | VectorCall::EuclideanDistance { .. } => {
                number_from_js(value).map(Output::Number)
            }
            VectorCall::CosineSimilarityBatch { .. } => array(value, "batch result")?
                .iter()
                .map(number_from_js)
                .collect::<Result<_, _>>()
                .map(Output::Numbers),
            VectorCall::StoreSearch { .. } => array(value, "search results")?
                .iter()
                .map(|hits| {
                    array(hits, "a hit list")?
                        .iter()
                        .map(|hit| {
                            let index =
                                hit.get("index").and_then(JsValue::as_u64).ok_or_else(|| {
                                    format!("a hit without an index: {}", hit.canonical_json())
                                })?;
                            let score =
                                number_from_js(hit.get("score").unwrap_or(&JsValue::Undefined))?;
                            Ok(Hit {
                                index: index as usize,
                                score,
                            })
                        })
                        .collect::<Result<Vec<Hit>, String>>()
                })
                .collect::<Result<_, _>>()
                .map(Output::Rankings),
        }
    }

    /// `Ok` when `actual` satisfies the contract against `expected` (both as JS sees them).
    pub fn check(
        &self,
        expected: &Result<Output, JsError>,
        actual: &Result<Output, JsError>,
    ) -> Result<(), String> {
        match (expected, actual) {
            (Err(e), Err(a)) if e == a => Ok(()),
            (Err(e), a) => Err(format!("expected the error {e}, got {a:?}")),
            (Ok(e), Err(a)) => Err(format!("expected {e:?}, got the error {a}")),
            (Ok(e), Ok(a)) => self.check_output(e, a),
        }
    }

    fn check_output(&self, expected: &Output, actual: &Output) -> Result<(), String> {
        match (self, expected, actual) {
            (VectorCall::CosineSimilarity { a, .. }, Output::Number(e), Output::Number(g)) => {
                within(*g, *e, tolerance(a.len()), "cosine")
            }
            (VectorCall::EuclideanDistance { a, .. }, Output::Number(e), Output::Number(g)) => {
                within(
                    *g,
                    *e,
                    bounded(tolerance(a.len()), e.abs()),
                    "euclidean distance",
                )
            }
            (
                VectorCall::CosineSimilarityBatch { query, .. },
                Output::Numbers(e),
                Output::Numbers(g),
            ) => {
                if e.len() != g.len() {
                    return Err(format!("{} scores, expected {}", g.len(), e.len()));
                }
                e.iter().zip(g).enumerate().try_for_each(|(i, (e, g))| {
                    within(*g, *e, tolerance(query.len()), &format!("target {i}"))
                })
            }
            (
                VectorCall::StoreSearch {
                    flat,
                    dimension,
                    searches,
                },
                Output::Rankings(e),
                Output::Rankings(g),
            ) => {
                if e.len() != g.len() {
                    return Err(format!("{} result lists, expected {}", g.len(), e.len()));
                }
                let rows: Vec<&[f32]> = flat.chunks_exact(*dimension).collect();
                searches
                    .iter()
                    .zip(e.iter().zip(g))
                    .enumerate()
                    .try_for_each(|(i, (search, (e, g)))| {
                        check_ranking(search, &rows, e, g).map_err(|err| {
                            format!(
                                "search {i} ({}, k {:?}): {err}",
                                search.metric.name(),
                                search.k
                            )
                        })
                    })
            }
            _ => Err(format!(
                "an output of the wrong kind: expected {expected:?}, got {actual:?}"
            )),
        }
    }
}

/// One search result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: f64,
}

/// A call's result.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Number(f64),
    Numbers(Vec<f64>),
    Rankings(Vec<Vec<Hit>>),
}

/// The fallback's score of one row (its loops, restated): used to check that two rows listed in
/// each other's place really tie.
pub fn reference_score(metric: Metric, query: &[f64], row: &[f32]) -> f64 {
    let (mut dot, mut qq, mut rr, mut squared) = (0.0, 0.0, 0.0, 0.0);
    for (&q, &r) in query.iter().zip(row) {
        let r = f64::from(r);
        dot += q * r;
        qq += q * q;
        rr += r * r;
        let d = q - r;
        squared += d * d;
    }
    match metric {
        Metric::Dot => dot,
        Metric::Euclidean => f64::sqrt(squared),
        Metric::Cosine => {
            let magnitude = qq.sqrt() * rr.sqrt();
            if magnitude == 0.0 {
                0.0
            } else {
                dot / magnitude
            }
        }
    }
}

fn check_ranking(
    search: &Search,
    rows: &[&[f32]],
    expected: &[Hit],
    actual: &[Hit],
) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!(
            "{} hits, expected {}",
            actual.len(),
            expected.len()
        ));
    }
    let query = search.query.to_f64();
    let query_norm = norm(query.iter().copied());
    let row = |index: usize| {
        rows.get(index)
            .copied()
            .ok_or_else(|| format!("index {index} is not a row"))
    };
    // A score's error bound scales with its own row: for dot, |q|·|row| bounds Σ|q_i·row_i|, to
    // which summation error is proportional. With huge magnitudes that bound is huge too, and a
    // row may legitimately land many places away from where the fallback lists it.
    let bound_of = |score: f64, listed: &[f32]| {
        let scale = match search.metric {
            Metric::Cosine => 1.0,
            Metric::Dot => query_norm * norm(listed.iter().map(|&x| f64::from(x))),
            Metric::Euclidean => score.abs(),
        };
        bounded(tolerance(query.len()), scale)
    };
    // Every listed score must be its row's score, within that row's bound.
    for (position, hit) in actual.iter().enumerate() {
        let listed = row(hit.index)?;
        let reference = reference_score(search.metric, &query, listed);
        let bound = bound_of(reference, listed);
        if !agrees(hit.score, reference, bound) {
            return Err(format!(
                "position {position}: index {} scored {} where its row scores {reference} (bound {bound:e})",
                hit.index, hit.score
            ));
        }
    }
    // Scores right, so the listing must be ordered by them up to ties, and a row only one side
    // lists must tie with the other side's last hit: the rankings then differ only where rows
    // tie within their bounds (with huge magnitudes, a row's bound can span many places).
    let tie = |x: &Hit, y: &Hit| -> Result<bool, String> {
        let bound = bound_of(x.score, row(x.index)?).max(bound_of(y.score, row(y.index)?));
        Ok(agrees(x.score, y.score, bound))
    };
    for (position, pair) in actual.windows(2).enumerate() {
        if listed_before(search.metric, &pair[1], &pair[0]) && !tie(&pair[0], &pair[1])? {
            return Err(format!(
                "positions {position} and {}: index {} (score {}) is listed after index {} (score {})",
                position + 1,
                pair[0].index,
                pair[0].score,
                pair[1].index,
                pair[1].score
            ));
        }
    }
    if let (Some(last_actual), Some(last_expected)) = (actual.last(), expected.last()) {
        let listed_only = |these: &[Hit], others: &[Hit], last: &Hit| -> Result<(), String> {
            for hit in these
                .iter()
                .filter(|h| others.iter().all(|o| o.index != h.index))
            {
                if !tie(hit, last)? {
                    return Err(format!(
                        "index {} (score {}) is listed by one side only and does not tie with the last hit (score {})",
                        hit.index, hit.score, last.score
                    ));
                }
            }
            Ok(())
        };
        listed_only(actual, expected, last_expected)?;
        listed_only(expected, actual, last_actual)?;
    }
    Ok(())
}

/// The fallback's listing order (`compareHits`): best first (highest cosine and dot, lowest
/// euclidean), NaN last, equal scores by lower index.
fn listed_before(metric: Metric, x: &Hit, y: &Hit) -> bool {
    match (x.score.is_nan(), y.score.is_nan()) {
        (true, false) => return false,
        (false, true) => return true,
        (true, true) => return x.index < y.index,
        (false, false) => {}
    }
    if x.score == y.score {
        return x.index < y.index;
    }
    match metric {
        Metric::Euclidean => x.score < y.score,
        Metric::Cosine | Metric::Dot => x.score > y.score,
    }
}

/// `sqrt(Σ x²)` without overflow or underflow (scaled by the largest magnitude): the scale of a dot
/// product's error even where the squares themselves leave the f64 range. NaN when a value is.
pub fn norm(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let largest = values.clone().fold(0.0f64, |m, x| {
        if x.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(x.abs())
        }
    });
    if largest == 0.0 || !largest.is_finite() {
        return largest;
    }
    largest * values.map(|x| (x / largest).powi(2)).sum::<f64>().sqrt()
}

fn within(actual: f64, expected: f64, bound: f64, what: &str) -> Result<(), String> {
    if agrees(actual, expected, bound) {
        Ok(())
    } else {
        Err(format!(
            "{what}: {actual} where the fallback gives {expected} (difference {:e}, bound {bound:e})",
            (actual - expected).abs()
        ))
    }
}

fn abbreviated(v: &Vector) -> Vec<f64> {
    v.to_f64().into_iter().take(6).collect()
}

fn array<'v>(value: &'v JsValue, what: &str) -> Result<&'v [JsValue], String> {
    match value {
        JsValue::Array(items) => Ok(items),
        other => Err(format!(
            "{what} must be an array, got {}",
            other.canonical_json()
        )),
    }
}

fn search_from_js(value: &JsValue) -> Result<Search, String> {
    let query = Vector::from_js(
        value.get("query").unwrap_or(&JsValue::Undefined),
        "search query",
    )?;
    let k = match number_from_js(value.get("k").unwrap_or(&JsValue::Undefined))? {
        k if k == f64::INFINITY => None,
        k if k >= 0.0 && k.fract() == 0.0 && k <= u32::MAX as f64 => Some(k as usize),
        k => {
            return Err(format!(
                "search k must be a non-negative integer or Infinity, got {k}"
            ))
        }
    };
    let metric = value
        .get("metric")
        .and_then(JsValue::as_text)
        .and_then(|t| t.to_string_checked())
        .and_then(|name| Metric::from_name(&name))
        .ok_or_else(|| {
            format!(
                "search metric must be cosine, dot or euclidean: {}",
                value.canonical_json()
            )
        })?;
    Ok(Search { query, k, metric })
}

/// A number, or one of the `{"$number": "NaN" | "Infinity" | "-Infinity"}` markers.
pub fn number_from_js(value: &JsValue) -> Result<f64, String> {
    match value {
        JsValue::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a double")),
        _ => match value.marker() {
            Some(("$number", JsValue::String(text))) => match text.to_string_checked().as_deref() {
                Some("NaN") => Ok(f64::NAN),
                Some("Infinity") => Ok(f64::INFINITY),
                Some("-Infinity") => Ok(f64::NEG_INFINITY),
                _ => Err(format!("unknown $number {}", value.canonical_json())),
            },
            _ => Err(format!("expected a number, got {}", value.canonical_json())),
        },
    }
}

pub fn number_to_js(x: f64) -> JsValue {
    match Number::from_f64(x) {
        Some(n) => JsValue::Number(n),
        None => JsValue::object([(
            "$number",
            JsValue::string(if x.is_nan() {
                "NaN"
            } else if x > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }),
        )]),
    }
}

/// Standard base64 with padding, as Node's `Buffer#toString('base64')` writes it.
mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        let digits = text.trim_end_matches('=').as_bytes();
        if text.len() % 4 != 0 || text.len() - digits.len() > 2 {
            return Err(format!("{} characters are not padded base64", text.len()));
        }
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        let (mut acc, mut bits) = (0u32, 0u32);
        for &c in digits {
            let value = ALPHABET
                .iter()
                .position(|&a| a == c)
                .ok_or_else(|| format!("{:?} is not a base64 digit", c as char))?;
            acc = acc << 6 | value as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Vec<JsValue> {
        match JsValue::from_json(json).unwrap() {
            JsValue::Array(items) => items,
            _ => unreachable!(),
        }
    }

    #[test]
    fn base64_round_trips_every_length() {
        for n in 0..20u8 {
            let bytes: Vec<u8> = (0..n)
                .map(|i| i.wrapping_mul(37).wrapping_add(200))
                .collect();
            assert_eq!(base64::decode(&base64::encode(&bytes)).unwrap(), bytes);
        }
        // What Node writes for Float32Array([1, 1]).
        assert_eq!(
            base64::encode(&[0, 0, 0x80, 0x3f, 0, 0, 0x80, 0x3f]),
            "AACAPwAAgD8="
        );
        assert!(base64::decode("AAA").is_err());
        assert!(base64::decode("A*A=").is_err());
    }

    #[test]
    fn reads_recorded_calls_and_mirrors_them_in_requests() {
        let json = r#"[{"$f32":"AACAPwAAgD8="},{"$f64":"AAAAAAAA8D8AAAAAAAAAQA=="}]"#;
        let call = VectorCall::from_js("cosineSimilarity", &args(json)).unwrap();
        assert_eq!(
            call,
            VectorCall::CosineSimilarity {
                a: Vector::F32(vec![1.0, 1.0]),
                b: Vector::F64(vec![1.0, 2.0])
            }
        );
        assert_eq!(
            JsValue::Array(call.to_request().args).to_request_json(false),
            json
        );
        let search = r#"[{"$f32":"AACAPwAAgD8="},2,[{"query":{"$f32":"AACAPwAAgD8="},"k":{"$number":"Infinity"},"metric":"dot"}]]"#;
        let call = VectorCall::from_js("VectorStore.search", &args(search)).unwrap();
        assert_eq!(
            JsValue::Array(call.to_request().args).to_request_json(false),
            search
        );
    }

    #[test]
    fn rejects_calls_outside_the_engine_contract() {
        for (op, json) in [
            ("cosineSimilarity", r#"[[1,2],[1,2]]"#),
            ("cosineSimilarity", r#"[{"$f32":"AAA="},{"$f32":""}]"#),
            ("VectorStore.search", r#"[{"$f32":"AACAPwAAgD8="},3,[]]"#),
            (
                "VectorStore.search",
                r#"[{"$f32":""},1,[{"query":{"$f32":""},"k":-1,"metric":"dot"}]]"#,
            ),
            (
                "VectorStore.search",
                r#"[{"$f32":""},1,[{"query":{"$f32":""},"k":1,"metric":"l1"}]]"#,
            ),
            ("diffLines", "[]"),
        ] {
            assert!(VectorCall::from_js(op, &args(json)).is_err(), "{op} {json}");
        }
    }

    #[test]
    fn tolerance_and_special_values() {
        assert_eq!(tolerance(0), tolerance(16));
        assert!((tolerance(4096) - 2.048e-12).abs() < 1e-18);
        assert!(agrees(f64::NAN, f64::NAN, 0.0));
        assert!(!agrees(f64::NAN, 1.0, 1.0));
        assert!(!agrees(f64::INFINITY, 1e308, 1e308));
        assert!(agrees(1.0 + 1e-13, 1.0, 1e-12));
        assert!(!agrees(1.0 + 1e-11, 1.0, 1e-12));
        assert_eq!(
            number_from_js(&number_to_js(f64::NEG_INFINITY)).unwrap(),
            f64::NEG_INFINITY
        );
    }

    #[test]
    fn rankings_may_differ_only_where_scores_tie() {
        let rows = vec![1.0f32, 0.0, 1.0, 0.0, 0.0, 1.0];
        let call = VectorCall::StoreSearch {
            flat: rows,
            dimension: 2,
            searches: vec![Search {
                query: Vector::F32(vec![1.0, 0.0]),
                k: Some(3),
                metric: Metric::Cosine,
            }],
        };
        let hit = |index, score| Hit { index, score };
        let expected = Ok(Output::Rankings(vec![vec![
            hit(0, 1.0),
            hit(1, 1.0),
            hit(2, 0.0),
        ]]));
        let swapped_tie = Ok(Output::Rankings(vec![vec![
            hit(1, 1.0),
            hit(0, 1.0),
            hit(2, 0.0),
        ]]));
        let swapped_real = Ok(Output::Rankings(vec![vec![
            hit(2, 1.0),
            hit(1, 1.0),
            hit(0, 0.0),
        ]]));
        assert!(call.check(&expected, &swapped_tie).is_ok());
        assert!(call.check(&expected, &swapped_real).is_err());
    }

    /// A dot score of huge opposite terms is noise within its (huge) bound, so its row may land
    /// anywhere; rows with small bounds must still keep their order.
    #[test]
    fn a_row_with_a_huge_bound_may_move_but_others_keep_their_order() {
        let call = VectorCall::StoreSearch {
            flat: vec![3e38, -3e38, 1.0, 0.0, 0.5, 0.0],
            dimension: 2,
            searches: vec![Search {
                query: Vector::F32(vec![1e30, 1e30]),
                k: Some(3),
                metric: Metric::Dot,
            }],
        };
        let hit = |index, score| Hit { index, score };
        let q = f64::from(1e30f32);
        let expected = Ok(Output::Rankings(vec![vec![
            hit(1, q),
            hit(2, q / 2.0),
            hit(0, 0.0),
        ]]));
        let noisy_row_first = Ok(Output::Rankings(vec![vec![
            hit(0, 2.0 * q),
            hit(1, q),
            hit(2, q / 2.0),
        ]]));
        let small_rows_swapped = Ok(Output::Rankings(vec![vec![
            hit(0, 2.0 * q),
            hit(2, q / 2.0),
            hit(1, q),
        ]]));
        assert!(call.check(&expected, &noisy_row_first).is_ok());
        assert!(call.check(&expected, &small_rows_swapped).is_err());
    }
}
