//! A tiny civil (proleptic Gregorian) date, enough to compare lifecycle dates with the lint date without a
//! date-time dependency. Conversions use Howard Hinnant's `days_from_civil`/`civil_from_days` algorithms
//! (<https://howardhinnant.github.io/date_algorithms.html>).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date. Field order makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31, valid for the month.
    pub day: u8,
}

impl Date {
    /// A validated date; `None` when the month or day is out of range (leap years respected).
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) {
            None
        } else {
            Some(Date { year, month, day })
        }
    }

    /// Reads an ISO 8601 calendar date, `YYYY-MM-DD` exactly (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = &text[range];
            if digits.bytes().all(|b| b.is_ascii_digit()) { digits.parse().ok() } else { None }
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        Date::new(year, month, day)
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        const SECONDS_PER_DAY: u64 = 86_400;
        let days = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs() / SECONDS_PER_DAY).unwrap_or(i64::MAX),
            // Before 1970: count whole days back, rounding towards the past.
            Err(err) => {
                let secs = err.duration().as_secs();
                -i64::try_from(secs.div_ceil(SECONDS_PER_DAY)).unwrap_or(i64::MAX)
            }
        };
        Date::from_days_since_epoch(days)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        let month = i64::from(self.month);
        let day = i64::from(self.day);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400; // [0, 399]
        // March-based day of the year, [0, 365].
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; // [0, 146096]
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it when negative). Saturates at the `i32` year range.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097; // [0, 146096]
        // [0, 399]
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
        let mp = (5 * day_of_year + 2) / 153; // [0, 11], March-based
        let day = day_of_year - (153 * mp + 2) / 5 + 1; // [1, 31]
        let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2024-06-30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn parses_and_displays_iso() {
        assert_eq!(date("2024-06-30"), Date { year: 2024, month: 6, day: 30 });
        assert_eq!(date("2024-06-30").to_string(), "2024-06-30");
        assert_eq!(Date { year: 987, month: 1, day: 2 }.to_string(), "0987-01-02");
        assert_eq!(date("2024-02-29").day, 29);
        assert_eq!(date("2000-02-29").day, 29);
        for bad in [
            "",
            "2024-6-30",
            "2024-06-31",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2024/06/30",
            "24-06-30",
            " 2024-06-30",
            "2024-06-30T00:00",
            "+024-06-30",
            "2024-0a-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        assert!(date("2024-06-30") < date("2024-07-01"));
        assert!(date("2023-12-31") < date("2024-01-01"));
        assert!(date("2024-01-09") < date("2024-01-10"));
        assert_eq!(date("2024-01-10").max(date("2023-12-31")), date("2024-01-10"));
    }

    #[test]
    fn epoch_day_conversions() {
        assert_eq!(date("1970-01-01").days_since_epoch(), 0);
        assert_eq!(date("1970-01-02").days_since_epoch(), 1);
        assert_eq!(date("1969-12-31").days_since_epoch(), -1);
        assert_eq!(date("2000-03-01").days_since_epoch(), 11_017);
        assert_eq!(date("2024-06-30").days_since_epoch(), 19_904);
        assert_eq!(Date::from_days_since_epoch(19_904), date("2024-06-30"));
        assert_eq!(Date::from_days_since_epoch(-1), date("1969-12-31"));
        assert_eq!(Date::from_days_since_epoch(-719_468), date("0000-03-01"));
        // Round-trips over several 400-year eras, either side of the epoch.
        let mut previous = Date::from_days_since_epoch(-200_000);
        for days in -199_999..200_000 {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days);
            assert_eq!(Date::new(d.year, d.month, d.day), Some(d));
            assert!(previous < d);
            previous = d;
        }
    }

    #[test]
    fn today_is_plausible() {
        let today = Date::today();
        assert!(today >= date("2024-01-01"), "{today}");
        assert_eq!(Date::from_days_since_epoch(today.days_since_epoch()), today);
    }
}
