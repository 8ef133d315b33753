//! Zones: where each block of a page sits: the head (title, description, navigation, teasers
//! and the headline above the article), the body (the run of prose paragraphs), the tail (what
//! follows it: related links, footers).
//!
//! The body is found from the text alone, the way the readability family of extractors finds
//! an article: prose paragraphs score by their length, other blocks (links, labels, headings)
//! cost a little each, and the body is the stretch of blocks with the best total (the maximum
//! subarray, in one pass). So a heading or an "Advertisement" line between paragraphs stays
//! inside the body, and a list of twenty links ends it. The body starts at a prose paragraph
//! with another one next to it (at most two blocks away): a description or a teaser standing
//! alone above the article, with only a few links and the headline between, is head.
//! Deterministic and linear.

/// Where a block sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    /// Before the body: title, description, navigation, teasers, the headline.
    Head,
    /// The run of prose paragraphs of the article.
    Body,
    /// After the body.
    Tail,
    /// No article body was found (no two prose paragraphs): the page is one zone, and the
    /// first copy of a content stays.
    Page,
}

/// Most a prose block counts, in words: one very long block does not outweigh an article.
const PROSE_CAP: usize = 150;
/// What any block that is not prose costs, plus its words up to [`OTHER_WORDS_CAP`].
const OTHER_COST: i64 = 2;
const OTHER_WORDS_CAP: usize = 12;

/// The zone of every block, from whether it is prose and its number of words; blocks with
/// `present[i]` false (removed) are passed over, so that the zones of what stays are those a
/// second run finds in the clean document. Without a body, every block is in [`Zone::Page`].
pub fn zones(prose: &[bool], words: &[usize], present: &[bool]) -> Vec<Zone> {
    let n = prose.len();
    let weight = |i: usize| -> i64 {
        if prose[i] {
            i64::try_from(words[i].min(PROSE_CAP)).unwrap_or(0)
        } else {
            -(OTHER_COST + i64::try_from(words[i].min(OTHER_WORDS_CAP)).unwrap_or(0))
        }
    };
    // Maximum subarray (Kadane); ties keep the earliest, shortest stretch.
    let (mut best, mut best_range) = (0i64, None);
    let (mut sum, mut start) = (0i64, 0usize);
    for i in (0..n).filter(|&i| present[i]) {
        if sum <= 0 {
            sum = 0;
            start = i;
        }
        sum += weight(i);
        if sum > best {
            best = sum;
            best_range = Some((start, i));
        }
    }
    // A prose block with another prose block at most this far away in the stretch (counting
    // the blocks that are present).
    const NEIGHBOUR: usize = 2;
    let best_range = best_range.map(|(s, e)| {
        let here: Vec<usize> = (s..=e).filter(|&i| present[i]).collect();
        let accompanied = |k: usize| {
            prose[here[k]]
                && (k.saturating_sub(NEIGHBOUR)..=(k + NEIGHBOUR).min(here.len() - 1))
                    .any(|m| m != k && prose[here[m]])
        };
        (0..here.len())
            .find(|&k| accompanied(k))
            .map(|k| (here[k], e))
    });
    let best_range = best_range.flatten();
    match best_range {
        None => vec![Zone::Page; n],
        Some((s, e)) => (0..n)
            .map(|i| {
                if i < s {
                    Zone::Head
                } else if i <= e {
                    Zone::Body
                } else {
                    Zone::Tail
                }
            })
            .collect(),
    }
}

/// The order in which copies of one content are preferred to stay (smaller is better). A
/// paragraph of prose stays in the body (its first copy there). A heading or a label stays
/// above the article, nearest to it (the headline rather than the title; a headline printed
/// again between the paragraphs, or in a share box, is a repeat); then in the body (its first
/// copy); a copy below the article comes last.
pub fn preference(zone: Zone, index: usize, prose: bool) -> (u8, usize) {
    match (zone, prose) {
        (Zone::Body, true) | (Zone::Page, _) => (0, index),
        (Zone::Head, _) => (1, usize::MAX - index),
        (Zone::Body, false) => (2, index),
        (Zone::Tail, _) => (3, index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_run_of_prose_with_headings_inside_it() {
        // title, description, nav x3, headline, p, p, heading, p, related x4, footer
        let prose = [
            false, true, false, false, false, false, true, true, false, true, false, false, false,
            false, false,
        ];
        let words = [8, 30, 1, 1, 1, 8, 60, 45, 4, 50, 9, 9, 9, 9, 3];
        let z = zones(&prose, &words, &[true; 15]);
        assert_eq!(z[0], Zone::Head);
        // The description alone is prose, but the navigation separates it from the article.
        assert_eq!(z[1], Zone::Head);
        assert_eq!(z[5], Zone::Head);
        assert_eq!(&z[6..10], &[Zone::Body; 4]);
        assert!(z[10..].iter().all(|&x| x == Zone::Tail));
    }

    #[test]
    fn without_two_prose_paragraphs_there_is_no_body() {
        assert_eq!(
            zones(&[false, false], &[3, 4], &[true; 2]),
            vec![Zone::Page; 2]
        );
        assert_eq!(
            zones(&[false, true, false], &[3, 40, 4], &[true; 3]),
            vec![Zone::Page; 3]
        );
        assert_eq!(zones(&[], &[], &[]), Vec::<Zone>::new());
        // Two copies of one paragraph make no body once one of them is gone.
        let prose = [true, false, true];
        assert_eq!(zones(&prose, &[20, 3, 20], &[true; 3])[0], Zone::Body);
        assert_eq!(
            zones(&prose, &[20, 3, 20], &[true, true, false])[0],
            Zone::Page
        );
        assert_eq!(preference(Zone::Page, 3, false), (0, 3));
    }

    #[test]
    fn paragraphs_stay_in_the_body_headings_above_it() {
        let order = |prose: bool| {
            let mut copies = [
                (Zone::Tail, 40),
                (Zone::Head, 0),
                (Zone::Head, 5),
                (Zone::Body, 20),
                (Zone::Body, 12),
            ];
            copies.sort_by_key(|&(z, i)| preference(z, i, prose));
            copies.map(|c| c.1)
        };
        assert_eq!(order(true), [12, 20, 5, 0, 40]);
        assert_eq!(order(false), [5, 0, 12, 20, 40]);
    }
}
