//! Plain price formatting, used when no currency is configured (and as the
//! fallback when the browser cannot format one).

use crate::feed::Cents;

/// `1234` cents as `12.34`; negative amounts keep their sign.
pub fn plain_amount(cents: Cents) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Cents as a floating amount, for `Intl.NumberFormat`.
pub fn as_units(cents: Cents) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimals() {
        assert_eq!(plain_amount(1999), "19.99");
        assert_eq!(plain_amount(5), "0.05");
        assert_eq!(plain_amount(120000), "1200.00");
        assert_eq!(plain_amount(-250), "-2.50");
        assert_eq!(as_units(1250), 12.5);
    }
}
