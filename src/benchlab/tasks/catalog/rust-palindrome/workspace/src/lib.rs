pub fn is_palindrome(text: &str) -> bool {
    todo!()
}
