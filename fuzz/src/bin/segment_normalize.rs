//! AFL target `segment_normalize`: runs [`paradedup_fuzz::check_segment_normalize`] on each input; a broken
//! invariant is a crash (the message says which).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(e) = paradedup_fuzz::check_segment_normalize(data) {
            panic!("segment_normalize: {e}");
        }
    });
}
