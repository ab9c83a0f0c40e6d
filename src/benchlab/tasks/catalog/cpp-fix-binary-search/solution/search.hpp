#pragma once
#include <cstddef>
#include <vector>

inline std::size_t lower_bound_index(const std::vector<int>& values, int target) {
    std::size_t lo = 0, hi = values.size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (values[mid] < target) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}
