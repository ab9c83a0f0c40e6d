package sum

// SumEvens returns the sum of the even numbers in values.
func SumEvens(values []int) int {
	total := 0
	for i := 0; i < len(values)-1; i++ {
		if values[i]%2 == 0 && values[i] > 0 {
			total += values[i]
		}
	}
	return total
}
