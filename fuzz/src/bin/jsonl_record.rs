//! AFL target `jsonl_record`: runs [`paradedup_fuzz::check_jsonl_record`] on each input; a broken
//! invariant is a crash (the message says which).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(e) = paradedup_fuzz::check_jsonl_record(data) {
            panic!("jsonl_record: {e}");
        }
    });
}
