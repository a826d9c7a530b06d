//! Exact rates and thresholds. `2/3` has no finite decimal form, so a rate of two counts is
//! compared with a threshold by cross-multiplying whole numbers, never by dividing.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// A non-negative fraction in lowest terms, with a non-zero denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    numerator: u64,
    denominator: u64,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Option<Ratio> {
        if denominator == 0 {
            return None;
        }
        let g = gcd(numerator, denominator);
        Some(Ratio {
            numerator: numerator / g,
            denominator: denominator / g,
        })
    }

    /// `70 %` is 7/10; `22.5 %` is 9/40. `None` if negative or too precise to hold.
    pub fn from_percent(percent: Decimal) -> Option<Ratio> {
        if percent.is_sign_negative() {
            return None;
        }
        let mantissa = u64::try_from(percent.mantissa()).ok()?;
        let scale = 10u64.checked_pow(percent.scale())?;
        Ratio::new(mantissa, scale.checked_mul(100)?)
    }

    pub fn numerator(&self) -> u64 {
        self.numerator
    }

    pub fn denominator(&self) -> u64 {
        self.denominator
    }

    pub fn is_above_one(&self) -> bool {
        self.numerator > self.denominator
    }

    /// Compares `count_numerator / count_denominator` with this threshold, exactly.
    /// `None` when the denominator is zero: such a rate has no value.
    pub fn compare_rate(&self, count_numerator: u64, count_denominator: u64) -> Option<Ordering> {
        if count_denominator == 0 {
            return None;
        }
        let left = u128::from(count_numerator) * u128::from(self.denominator);
        let right = u128::from(self.numerator) * u128::from(count_denominator);
        Some(left.cmp(&right))
    }

    /// The smallest numerator `n` with `n / denominator >= self`, for "how far" hints.
    pub fn least_numerator_reaching(&self, denominator: u64) -> u128 {
        let product = u128::from(self.numerator) * u128::from(denominator);
        product.div_ceil(u128::from(self.denominator))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// The percentage a writer meant by a bare number compared with a rate, for the hint that
/// says how to write it: `0.7` is `70 %`, and `70` (above 1, up to 100) is `70 %` too;
/// `None` for a number that is no rate's threshold (negative, or above 100).
pub fn as_percent(n: Decimal) -> Option<String> {
    let percent = if n > Decimal::ONE {
        n
    } else {
        n * Decimal::ONE_HUNDRED
    };
    (n >= Decimal::ZERO && n <= Decimal::ONE_HUNDRED).then(|| format!("{} %", percent.normalize()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bare_number_beside_a_rate_is_the_percentage_meant() {
        let percent = |s: &str| super::as_percent(s.parse().unwrap());
        assert_eq!(percent("0.7").as_deref(), Some("70 %"));
        assert_eq!(percent("0.667").as_deref(), Some("66.7 %"));
        assert_eq!(percent("1").as_deref(), Some("100 %"));
        assert_eq!(percent("70").as_deref(), Some("70 %"));
        assert_eq!(percent("0").as_deref(), Some("0 %"));
        assert_eq!(percent("150"), None);
        assert_eq!(percent("-0.5"), None);
    }

    use super::*;
    use std::cmp::Ordering::*;

    fn percent(text: &str) -> Ratio {
        Ratio::from_percent(text.parse().unwrap_or_default()).unwrap_or(Ratio {
            numerator: 0,
            denominator: 1,
        })
    }

    #[test]
    fn seventy_percent_boundary_is_exact() {
        let seventy = percent("70");
        assert_eq!(seventy.compare_rate(700, 1000), Some(Equal));
        assert_eq!(seventy.compare_rate(699, 1000), Some(Less));
        assert_eq!(seventy.compare_rate(7, 10), Some(Equal));
        assert_eq!(seventy.compare_rate(6999999, 10000000), Some(Less));
    }

    #[test]
    fn two_thirds_has_no_decimal_form() {
        let two_thirds = Ratio::new(2, 3).unwrap_or(percent("0"));
        assert_eq!(two_thirds.compare_rate(2, 3), Some(Equal));
        assert_eq!(two_thirds.compare_rate(2000, 3000), Some(Equal));
        assert_eq!(two_thirds.compare_rate(666, 999), Some(Equal));
        assert_eq!(two_thirds.compare_rate(666, 1000), Some(Less));
        // 0.6666666667 as a decimal would be above 2/3; the exact rate 6666666667/10^10 is too.
        assert_eq!(
            two_thirds.compare_rate(6_666_666_667, 10_000_000_000),
            Some(Greater)
        );
        assert_eq!(
            two_thirds.compare_rate(6_666_666_666, 10_000_000_000),
            Some(Less)
        );
    }

    #[test]
    fn zero_denominator_has_no_rate() {
        assert_eq!(percent("70").compare_rate(0, 0), None);
        assert_eq!(percent("0").compare_rate(5, 0), None);
    }

    #[test]
    fn fractional_percentages_reduce() {
        assert_eq!(
            percent("22.5"),
            Ratio {
                numerator: 9,
                denominator: 40
            }
        );
        assert!(percent("100").compare_rate(10, 10) == Some(Equal));
        assert!(percent("100.5").is_above_one());
        assert!(Ratio::from_percent("-1".parse().unwrap_or_default()).is_none());
    }

    #[test]
    fn least_numerator_reaching_the_threshold() {
        assert_eq!(percent("70").least_numerator_reaching(1000), 700);
        assert_eq!(percent("70").least_numerator_reaching(999), 700); // 699.3 rounds up
        assert_eq!(
            Ratio::new(2, 3).map(|r| r.least_numerator_reaching(1000)),
            Some(667)
        );
        assert_eq!(u64::MAX.to_string().len(), 20);
        assert_eq!(
            percent("100").compare_rate(u64::MAX, u64::MAX),
            Some(Equal),
            "no overflow on the largest counts"
        );
    }
}
