pub fn gcd(a: u64, b: u64) -> u64 {
    if a % b == 0 { b } else { gcd(b, a % b) }
}

pub fn lcm(a: u64, b: u64) -> u64 {
    a * b / gcd(a, b)
}
