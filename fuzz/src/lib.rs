//! paradedup-fuzz: the invariants the AFL targets check, from [`checks`] (the file the
//! root package's replay test includes too).

mod checks;

pub use checks::*;
