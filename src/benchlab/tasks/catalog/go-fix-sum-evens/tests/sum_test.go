package sum

import "testing"

func TestSumEvens(t *testing.T) {
	if got := SumEvens([]int{1, 2, 3, 4}); got != 6 {
		t.Errorf("got %d, want 6", got)
	}
	if got := SumEvens([]int{-2, -3, 8}); got != 6 {
		t.Errorf("got %d, want 6", got)
	}
	if got := SumEvens(nil); got != 0 {
		t.Errorf("got %d, want 0", got)
	}
}
