//! Money: exact decimals, rounded in one place.

use rust_decimal::{Decimal, RoundingStrategy};

/// Nothing, written as every amount is: `0.00`.
pub const ZERO_CENTS: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

/// Rounds an amount to the cent, half away from zero (0.005 -> 0.01).
///
/// Every payment line goes through here once, after `amount x count` or
/// `points x point value`. With the guides' amounts (whole euros, half points times 7 EUR)
/// it never changes a value; it is here so that a future per-unit amount such as
/// 0.125 EUR is rounded the same way everywhere.
pub fn round_to_cents(amount: Decimal) -> Decimal {
    if amount.scale() == 2 {
        return amount;
    }
    if amount.scale() < 2 {
        // Nothing to round: only written with two decimals (the common case, kept cheap).
        let mut exact = amount;
        exact.rescale(2);
        return exact;
    }
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn rounds_half_away_from_zero_and_keeps_two_decimals() {
        assert_eq!(round_to_cents(d("157.5")).to_string(), "157.50");
        assert_eq!(round_to_cents(d("0.005")).to_string(), "0.01");
        assert_eq!(round_to_cents(d("0.0049")).to_string(), "0.00");
        assert_eq!(round_to_cents(d("490")).to_string(), "490.00");
    }

    #[test]
    fn zero_cents_is_written_with_two_decimals() {
        assert_eq!(ZERO_CENTS.to_string(), "0.00");
        assert_eq!(ZERO_CENTS, round_to_cents(Decimal::ZERO));
    }

    #[test]
    fn half_points_times_point_value_are_exact() {
        assert_eq!(round_to_cents(d("22.5") * d("7")).to_string(), "157.50");
        assert_eq!(round_to_cents(d("835") * d("7")).to_string(), "5845.00");
    }
}
