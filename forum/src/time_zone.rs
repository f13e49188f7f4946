//! Members' time zones: IANA names (`Europe/Kyiv`) checked against the
//! time-zone database compiled into the binary (jiff's bundled copy), so a
//! name means the same on every node and nothing is read from the system.

use jiff::tz::TimeZone;

use crate::error::{ForumError, Rule};

/// The longest zone name accepted (the longest in the database has 30
/// characters).
const NAME_MAX: usize = 64;

/// The regions whose zones a member picks from (`Area/Place`), as in the
/// database's `zone1970.tab`; old aliases (`US/Eastern`, `Etc/GMT+5`) are
/// still accepted when typed but not offered.
const AREAS: [&str; 10] = [
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// A member's choice: blank is "none" (times in UTC); otherwise a name the
/// database knows, in its canonical spelling (`europe/kyiv` →
/// `Europe/Kyiv`). Anything else is refused with [`Rule::TimeZone`].
pub fn parse(raw: &str) -> Result<Option<String>, ForumError> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let refused = || {
        ForumError::invalid(
            "time_zone",
            Rule::TimeZone,
            "choose a time zone from the list (for example Europe/Kyiv)",
        )
    };
    if name.len() > NAME_MAX || name.chars().any(|c| c.is_control()) {
        return Err(refused());
    }
    let tz = jiff::tz::db().get(name).map_err(|_| refused())?;
    Ok(Some(tz.iana_name().unwrap_or(name).to_string()))
}

/// The zone a stored name stands for; UTC for none, or for a name a newer
/// build stored that this one's database lacks (never an error on a page).
pub fn zone(name: Option<&str>) -> TimeZone {
    name.and_then(|n| jiff::tz::db().get(n).ok())
        .unwrap_or(TimeZone::UTC)
}

/// The zones offered to members, sorted: every `Area/Place` in the
/// database, and `UTC`.
pub fn offered() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| {
            n.split_once('/')
                .is_some_and(|(area, _)| AREAS.contains(&area))
        })
        .collect();
    names.push("UTC".into());
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_are_kept_in_their_canonical_spelling() {
        assert_eq!(
            parse("Europe/Kyiv").unwrap().as_deref(),
            Some("Europe/Kyiv")
        );
        assert_eq!(
            parse(" america/new_york ").unwrap().as_deref(),
            Some("America/New_York")
        );
        assert_eq!(
            parse("Asia/Tehran").unwrap().as_deref(),
            Some("Asia/Tehran")
        );
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn unknown_zones_are_refused_by_their_rule() {
        for bad in [
            "Mars/Olympus_Mons",
            "Europe/Kiev2",
            "../../etc/passwd",
            "Europe/Kyiv\u{0}",
            &"A".repeat(65),
        ] {
            match parse(bad) {
                Err(ForumError::Validation { field, rule, .. }) => {
                    assert_eq!(field, "time_zone");
                    assert_eq!(rule, Rule::TimeZone);
                }
                other => panic!("{bad:?} was not refused: {other:?}"),
            }
        }
    }

    #[test]
    fn the_offered_list_is_the_bundled_database() {
        let names = offered();
        assert!(names.len() > 300, "{}", names.len());
        for n in ["Europe/Kyiv", "America/New_York", "Asia/Tehran", "UTC"] {
            assert!(names.iter().any(|x| x == n), "{n} offered");
        }
        assert!(!names.iter().any(|x| x.starts_with("US/")));
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        // Every offered name is accepted as it is.
        for n in &names {
            assert_eq!(parse(n).unwrap().as_deref(), Some(n.as_str()));
        }
    }

    #[test]
    fn a_stored_name_never_fails_a_page() {
        assert_eq!(zone(None), TimeZone::UTC);
        assert_eq!(zone(Some("Nowhere/Land")), TimeZone::UTC);
        assert_eq!(zone(Some("Europe/Kyiv")).iana_name(), Some("Europe/Kyiv"));
    }
}
