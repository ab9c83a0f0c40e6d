#[path = "src/lib.rs"]
mod lib;
use lib::is_palindrome;

#[test]
fn plain_and_punctuated() {
    assert!(is_palindrome("racecar"));
    assert!(is_palindrome("A man, a plan, a canal: Panama!"));
    assert!(!is_palindrome("rust"));
}

#[test]
fn empty_and_unicode() {
    assert!(is_palindrome(""));
    assert!(is_palindrome("Ésé"));
}
