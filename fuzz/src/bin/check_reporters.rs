//! AFL target `check_reporters`: runs [`paradedup_fuzz::check_reporters`] on each input; a broken
//! invariant is a crash (the message says which).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(e) = paradedup_fuzz::check_reporters(data) {
            panic!("check_reporters: {e}");
        }
    });
}
