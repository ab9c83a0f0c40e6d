package words

import "testing"

func TestReverseWords(t *testing.T) {
	cases := map[string]string{
		"the sky is blue":   "blue is sky the",
		"  hello   world  ": "world hello",
		"":                  "",
		"one":               "one",
	}
	for in, want := range cases {
		if got := ReverseWords(in); got != want {
			t.Errorf("ReverseWords(%q) = %q, want %q", in, got, want)
		}
	}
}
