#include <cstdio>
#include <vector>
#include "search.hpp"

static int failures = 0;
static void check(bool ok, const char* what) {
    if (!ok) { std::printf("FAIL: %s\n", what); ++failures; }
}

int main() {
    std::vector<int> v{1, 3, 3, 5, 8};
    check(lower_bound_index(v, 0) == 0, "before the first");
    check(lower_bound_index(v, 3) == 1, "first of equal run");
    check(lower_bound_index(v, 4) == 3, "between");
    check(lower_bound_index(v, 8) == 4, "the last");
    check(lower_bound_index(v, 9) == 5, "past the end");
    check(lower_bound_index(std::vector<int>{}, 1) == 0, "empty");
    std::printf("%s\n", failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
