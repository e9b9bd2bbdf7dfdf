use std::fmt;

/// What is wrong with the vectors a call was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VectorError {
    /// Two vectors (or a query and a store) of different lengths. Displays exactly as the
    /// JavaScript API's error: `Vectors must have same dimension`.
    DimensionMismatch { expected: usize, actual: usize },
    /// A target of a batch has another length than the query.
    TargetDimensionMismatch {
        index: usize,
        expected: usize,
        actual: usize,
    },
    /// A store of dimension 0 cannot hold anything.
    ZeroDimension,
    /// A flat buffer whose length is not a multiple of the store's dimension.
    RaggedFlat { len: usize, dimension: usize },
}

/// The message `@ku0/vector-similarity-rs` throws for vectors of different lengths.
pub const DIMENSION_MISMATCH_MESSAGE: &str = "Vectors must have same dimension";

impl fmt::Display for VectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VectorError::DimensionMismatch { .. } | VectorError::TargetDimensionMismatch { .. } => {
                f.write_str(DIMENSION_MISMATCH_MESSAGE)
            }
            VectorError::ZeroDimension => {
                f.write_str("a vector store needs a dimension of at least 1")
            }
            VectorError::RaggedFlat { len, dimension } => write!(
                f,
                "a flat buffer of {len} values does not split into rows of dimension {dimension}"
            ),
        }
    }
}

impl std::error::Error for VectorError {}

pub(crate) fn same_dimension(expected: usize, actual: usize) -> Result<(), VectorError> {
    if expected == actual {
        Ok(())
    } else {
        Err(VectorError::DimensionMismatch { expected, actual })
    }
}
