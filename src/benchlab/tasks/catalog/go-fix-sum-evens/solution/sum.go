package sum

// SumEvens returns the sum of the even numbers in values.
func SumEvens(values []int) int {
	total := 0
	for _, v := range values {
		if v%2 == 0 {
			total += v
		}
	}
	return total
}
