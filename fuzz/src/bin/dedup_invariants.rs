//! AFL target `dedup_invariants`: runs [`paradedup_fuzz::check_dedup_invariants`] on each input; a broken
//! invariant is a crash (the message says which).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(e) = paradedup_fuzz::check_dedup_invariants(data) {
            panic!("dedup_invariants: {e}");
        }
    });
}
