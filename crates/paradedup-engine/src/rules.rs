//! The rules a setting's value must follow, for every front end (the command line and its
//! `paradedup.toml`, the Python package): one place, so they cannot drift. Each returns the
//! value, or what is wrong with it for the caller to prefix with where the value came from (a
//! flag, a file and line, a keyword).

/// The near-duplicate threshold ([`crate::Options::threshold`]): a number in 0..1.
///
/// # Errors
/// `"1.5 is outside 0..1"`.
pub fn threshold(v: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0..1"))
    }
}

/// Worker threads: at least 1.
///
/// # Errors
/// `"must be at least 1"`.
pub fn threads(n: usize) -> Result<usize, String> {
    if n == 0 {
        Err("must be at least 1".into())
    } else {
        Ok(n)
    }
}

/// The boilerplate minimum of corpus scope ([`crate::CorpusIndex::new`]): at least 2, so the
/// first occurrence always stays.
///
/// # Errors
/// `"must be at least 2 (the first occurrence always stays)"`.
pub fn boilerplate_min_docs(n: u32) -> Result<u32, String> {
    if n < 2 {
        Err("must be at least 2 (the first occurrence always stays)".into())
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_range_pass_and_the_rest_say_why() {
        assert_eq!(threshold(0.0), Ok(0.0));
        assert_eq!(threshold(1.0), Ok(1.0));
        assert_eq!(threshold(1.5), Err("1.5 is outside 0..1".into()));
        assert!(threshold(f64::NAN).is_err());
        assert_eq!(threads(1), Ok(1));
        assert!(threads(0).is_err());
        assert_eq!(boilerplate_min_docs(2), Ok(2));
        assert!(boilerplate_min_docs(1).unwrap_err().contains("at least 2"));
    }
}
