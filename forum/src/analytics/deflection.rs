//! Deflection (`docs/analytics.md`, "Self-service"): ask-page sessions
//! judged after a window in which the member may still come back and open
//! a CRM task, split by board and customer segment, and the holdout that
//! measures what suggestions really change.

use serde::Serialize;

use super::{Share, DAY_MS};

/// One ask-page session as storage loads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskFact {
    pub started_at: i64,
    /// The board the page was opened for, or posted to.
    pub category_id: Option<i64>,
    /// The member's customer segment ("" when none is recorded).
    pub segment: String,
    pub opened_suggestion: bool,
    pub posted: bool,
    pub holdout: bool,
    /// When the member's first CRM task at or after the session's start
    /// was opened (none for a session without a member).
    pub next_task_at: Option<i64>,
}

/// How a session ended, judged at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Posted a question, or opened a CRM task within the window.
    Contacted,
    /// Neither, and the window has passed.
    SelfServed,
    /// Neither yet, but the window is still open.
    Pending,
}

pub fn outcome(s: &AskFact, window_days: i64, now: i64) -> Outcome {
    let until = s.started_at + window_days * DAY_MS;
    if s.posted || s.next_task_at.is_some_and(|t| t < until) {
        Outcome::Contacted
    } else if now >= until {
        Outcome::SelfServed
    } else {
        Outcome::Pending
    }
}

/// Deflection of one group of sessions (all, a board, a segment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeflectionGroup {
    /// Sessions shown suggestions (the holdout is reported apart).
    pub ask_sessions: i64,
    pub opened_suggestion: i64,
    pub posted: i64,
    /// Opened a suggestion and did not post (the funnel's third step).
    pub opened_not_posted: i64,
    /// Opened a suggestion, did not post, and opened no CRM task within
    /// the window.
    pub deflected: i64,
    /// Opened a suggestion, did not post, window still open.
    pub pending: i64,
    /// Deflected of the sessions judged (not pending).
    pub rate: Share,
}

/// The holdout: sessions shown no suggestions, against those shown them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Holdout {
    /// Judged sessions that ended without contact, with suggestions…
    pub shown: Share,
    /// …and without.
    pub held_out: Share,
    /// `shown − held_out` in percentage points, with its 95 % confidence
    /// interval (normal approximation of a difference of two
    /// proportions); `None` until both groups have judged sessions.
    pub lift_points: Option<(f64, f64, f64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Deflection {
    pub window_days: i64,
    pub all: DeflectionGroup,
    /// (board, group); sessions of no board are under `None`.
    pub by_board: Vec<(Option<i64>, DeflectionGroup)>,
    /// (segment, group); "" for members without a segment.
    pub by_segment: Vec<(String, DeflectionGroup)>,
    pub holdout: Holdout,
}

fn group<'a>(
    sessions: impl Iterator<Item = &'a AskFact>,
    window_days: i64,
    now: i64,
) -> DeflectionGroup {
    let mut g = DeflectionGroup::default();
    for s in sessions {
        g.ask_sessions += 1;
        g.posted += i64::from(s.posted);
        if !s.opened_suggestion {
            continue;
        }
        g.opened_suggestion += 1;
        g.opened_not_posted += i64::from(!s.posted);
        match outcome(s, window_days, now) {
            Outcome::SelfServed => g.deflected += 1,
            Outcome::Pending => g.pending += 1,
            Outcome::Contacted => {}
        }
    }
    let judged = sessions_judged(&g);
    g.rate = Share {
        part: g.deflected,
        whole: judged,
    };
    g
}

/// Sessions whose outcome is known: all but the pending ones.
fn sessions_judged(g: &DeflectionGroup) -> i64 {
    g.ask_sessions - g.pending
}

/// The 95 % interval of `a − b` (percentage points).
pub fn lift(a: &Share, b: &Share) -> Option<(f64, f64, f64)> {
    if a.whole == 0 || b.whole == 0 {
        return None;
    }
    let (pa, pb) = (
        a.part as f64 / a.whole as f64,
        b.part as f64 / b.whole as f64,
    );
    let se = (pa * (1.0 - pa) / a.whole as f64 + pb * (1.0 - pb) / b.whole as f64).sqrt();
    let d = pa - pb;
    Some((d * 100.0, (d - 1.96 * se) * 100.0, (d + 1.96 * se) * 100.0))
}

/// Deflection figures of the sessions of a window, judged at `now`.
pub fn deflection(sessions: &[AskFact], window_days: i64, now: i64) -> Deflection {
    let shown: Vec<&AskFact> = sessions.iter().filter(|s| !s.holdout).collect();
    let all = group(shown.iter().copied(), window_days, now);
    let mut boards: Vec<Option<i64>> = shown.iter().map(|s| s.category_id).collect();
    boards.sort_unstable();
    boards.dedup();
    let by_board = boards
        .into_iter()
        .map(|b| {
            (
                b,
                group(
                    shown.iter().copied().filter(|s| s.category_id == b),
                    window_days,
                    now,
                ),
            )
        })
        .collect();
    let mut segments: Vec<&str> = shown.iter().map(|s| s.segment.as_str()).collect();
    segments.sort_unstable();
    segments.dedup();
    let by_segment = segments
        .into_iter()
        .map(|seg| {
            (
                seg.to_owned(),
                group(
                    shown.iter().copied().filter(|s| s.segment == seg),
                    window_days,
                    now,
                ),
            )
        })
        .collect();
    // Without contact, whether or not a suggestion was opened: the holdout
    // never sees one, so only this compares like with like.
    let no_contact = |held: bool| {
        let judged: Vec<Outcome> = sessions
            .iter()
            .filter(|s| s.holdout == held)
            .map(|s| outcome(s, window_days, now))
            .filter(|o| *o != Outcome::Pending)
            .collect();
        Share {
            part: judged.iter().filter(|o| **o == Outcome::SelfServed).count() as i64,
            whole: judged.len() as i64,
        }
    };
    let (shown_share, held_share) = (no_contact(false), no_contact(true));
    Deflection {
        window_days,
        all,
        by_board,
        by_segment,
        holdout: Holdout {
            lift_points: lift(&shown_share, &held_share),
            shown: shown_share,
            held_out: held_share,
        },
    }
}

/// Whether the session `ask_id` is held out of suggestions, for a holdout
/// of `percent` %: a stable function of the id, so every node and every
/// request of the session agree.
pub fn in_holdout(ask_id: &str, percent: u8) -> bool {
    if percent == 0 {
        return false;
    }
    let bucket = ask_id
        .get(..8)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .map_or(0, |n| n % 100);
    bucket < u32::from(percent.min(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(at: i64, opened: bool, posted: bool, task: Option<i64>) -> AskFact {
        AskFact {
            started_at: at,
            category_id: None,
            segment: String::new(),
            opened_suggestion: opened,
            posted,
            holdout: false,
            next_task_at: task,
        }
    }

    #[test]
    fn a_task_inside_the_window_is_a_contact_and_after_it_is_not() {
        let now = 100 * DAY_MS;
        let start = 10 * DAY_MS;
        // A task 7 days less a millisecond later: inside the window.
        let s = session(start, true, false, Some(start + 7 * DAY_MS - 1));
        assert_eq!(outcome(&s, 7, now), Outcome::Contacted);
        // Exactly 7 days later: outside.
        let s = session(start, true, false, Some(start + 7 * DAY_MS));
        assert_eq!(outcome(&s, 7, now), Outcome::SelfServed);
        // Still within the window at `now`, nothing yet: pending…
        let s = session(now - DAY_MS, true, false, None);
        assert_eq!(outcome(&s, 7, now), Outcome::Pending);
        // …unless the member already posted.
        let s = session(now - DAY_MS, true, true, None);
        assert_eq!(outcome(&s, 7, now), Outcome::Contacted);
    }

    #[test]
    fn groups_by_board_and_segment_and_leave_the_holdout_apart() {
        let now = 100 * DAY_MS;
        let mut all = vec![
            session(DAY_MS, true, false, None),             // deflected
            session(DAY_MS, true, true, None),              // posted
            session(DAY_MS, true, false, Some(2 * DAY_MS)), // task: contact
            session(DAY_MS, false, false, None),            // never opened one
            session(now - DAY_MS, true, false, None),       // pending
        ];
        all[0].category_id = Some(3);
        all[0].segment = "enterprise".into();
        all[1].category_id = Some(3);
        let mut held = session(DAY_MS, false, false, None);
        held.holdout = true;
        let mut held_posted = session(DAY_MS, false, true, None);
        held_posted.holdout = true;
        all.push(held);
        all.push(held_posted);
        let d = deflection(&all, 7, now);
        assert_eq!(
            d.all,
            DeflectionGroup {
                ask_sessions: 5,
                opened_suggestion: 4,
                posted: 1,
                opened_not_posted: 3,
                deflected: 1,
                pending: 1,
                rate: Share { part: 1, whole: 4 },
            }
        );
        let board3 = &d.by_board.iter().find(|b| b.0 == Some(3)).unwrap().1;
        assert_eq!((board3.ask_sessions, board3.deflected), (2, 1));
        let ent = &d.by_segment.iter().find(|s| s.0 == "enterprise").unwrap().1;
        assert_eq!((ent.ask_sessions, ent.deflected, ent.rate.whole), (1, 1, 1));
        // Without contact: shown 2 of 4 judged (deflected, never opened);
        // held out 1 of 2.
        assert_eq!(d.holdout.shown, Share { part: 2, whole: 4 });
        assert_eq!(d.holdout.held_out, Share { part: 1, whole: 2 });
        let (l, lo, hi) = d.holdout.lift_points.unwrap();
        assert!(l.abs() < 1e-9, "{l}");
        // se = sqrt(.25/4 + .25/2) = 0.433; ±1.96·se = ±84.9 points.
        assert!(
            (hi - 84.87).abs() < 0.01 && (lo + 84.87).abs() < 0.01,
            "{lo} {hi}"
        );
    }

    #[test]
    fn no_holdout_no_lift() {
        let d = deflection(&[session(0, true, false, None)], 7, 100 * DAY_MS);
        assert_eq!(d.holdout.lift_points, None);
    }

    #[test]
    fn the_holdout_takes_its_share_of_sessions_stably() {
        assert!(!in_holdout("ffffffff00000000ffffffff00000000", 0));
        let ids: Vec<String> = (0u32..2000)
            .map(|i| format!("{:08x}{}", i.wrapping_mul(2_654_435_761), "0".repeat(24)))
            .collect();
        let held = ids.iter().filter(|id| in_holdout(id, 10)).count();
        assert!((150..250).contains(&held), "{held}");
        assert_eq!(in_holdout(&ids[7], 10), in_holdout(&ids[7], 10));
        assert!(ids.iter().all(|id| in_holdout(id, 100)));
    }
}
