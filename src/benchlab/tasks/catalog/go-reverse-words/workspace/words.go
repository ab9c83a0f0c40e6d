package words

// ReverseWords returns the words of s in reverse order, joined by single spaces.
func ReverseWords(s string) string {
	return s
}
