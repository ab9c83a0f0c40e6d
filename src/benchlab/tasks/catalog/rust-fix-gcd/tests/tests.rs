#[path = "src/lib.rs"]
mod lib;
use lib::{gcd, lcm};

#[test]
fn zeros() {
    assert_eq!(gcd(0, 7), 7);
    assert_eq!(gcd(7, 0), 7);
    assert_eq!(lcm(0, 7), 0);
}

#[test]
fn large_values() {
    assert_eq!(gcd(1_000_000_007 * 6, 1_000_000_007 * 4), 2_000_000_014);
    assert_eq!(lcm(6_000_000_000, 4_000_000_000), 12_000_000_000);
}
